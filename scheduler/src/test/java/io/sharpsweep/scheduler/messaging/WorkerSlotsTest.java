package io.sharpsweep.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerSlotsTest {
  @Test
  void aFreedSlotIsTheNextOneUsedSoTheIdleWorkerGetsTheNextSegment() {
    WorkerSlots slots = new WorkerSlots();
    assertThat(slots.slotOf("a")).isZero();
    assertThat(slots.slotOf("b")).isEqualTo(1);
    assertThat(slots.slotOf("a")).as("a trial keeps its slot across its segments").isZero();
    slots.release("a");
    assertThat(slots.slotOf("c")).as("the slot worker 0 just freed").isZero();
    assertThat(slots.slotOf("d")).isEqualTo(2);
    slots.release("b");
    slots.release("b");
    assertThat(slots.inFlight()).isEqualTo(2);
    assertThat(slots.slotOf("e")).isEqualTo(1);
  }
}
