package io.sharpsweep.scheduler.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which partition of {@code sharpsweep.assignments} a segment goes to. Workers share the topic with
 * the round-robin assignor, so partition p belongs to worker p mod W. Hashing trial ids onto
 * partitions would queue a segment behind a busy worker while another sits idle (measured: one
 * worker trained 7 of 8 segments); instead each segment in flight holds the lowest free slot, and a
 * slot freed by a finished segment is the next one used — it belongs to the worker that just became
 * idle.
 */
final class WorkerSlots {
  private final Map<String, Integer> slotByTrial = new HashMap<>();
  private final TreeSet<Integer> inUse = new TreeSet<>();

  /** The trial's slot, allocating the lowest free one if it has none. */
  synchronized int slotOf(String trialId) {
    Integer slot = slotByTrial.get(trialId);
    if (slot == null) {
      slot = 0;
      while (inUse.contains(slot)) {
        slot++;
      }
      inUse.add(slot);
      slotByTrial.put(trialId, slot);
    }
    return slot;
  }

  synchronized void release(String trialId) {
    Integer slot = slotByTrial.remove(trialId);
    if (slot != null) {
      inUse.remove(slot);
    }
  }

  synchronized int inFlight() {
    return inUse.size();
  }
}
