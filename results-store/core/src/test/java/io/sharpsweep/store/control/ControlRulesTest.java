package io.sharpsweep.store.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.store.control.ControlAction.AwaitReport;
import io.sharpsweep.store.control.ControlAction.Close;
import io.sharpsweep.store.control.ControlAction.EndStudy;
import io.sharpsweep.store.control.ControlAction.Enqueue;
import io.sharpsweep.store.control.ControlAction.FailTrial;
import io.sharpsweep.store.control.ControlAction.Requeue;
import io.sharpsweep.store.control.ControlAction.RetryTrial;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control rules on hand-computed cases: ASHA 1/9/3 (rungs 1, 3, 9), 5 trials, 2 in parallel.
 */
class ControlRulesTest {
  private static final FidelityLadder LADDER =
      FidelityLadder.of(new SchedulerSpec("asha", 1, 9, 3), 5);
  private final ControlRules rules = new ControlRules(new StudyPolicy(LADDER, 5, 2, 2));

  private static Segment seg(long id, String trial, int attempt, SegmentState state, int priority) {
    return new Segment(id, trial, attempt, 0, 1, null, priority, state, null);
  }

  private static Segment withProgress(Segment s, int epoch) {
    return new Segment(
        s.id(),
        s.trialId(),
        s.attempt(),
        s.fromEpoch(),
        s.toEpoch(),
        s.checkpointUri(),
        s.priority(),
        s.state(),
        new Checkpoint(epoch, "ckpt/" + s.trialId() + "/" + epoch));
  }

  @Test
  void promotionsGoFirstHighestRungThenOldest() {
    List<Segment> queued =
        new ArrayList<>(
            List.of(
                seg(1, "t0", 1, SegmentState.QUEUED, -1),
                seg(2, "t1", 1, SegmentState.QUEUED, 0),
                seg(3, "t2", 1, SegmentState.QUEUED, 1),
                seg(4, "t3", 1, SegmentState.QUEUED, 0),
                seg(5, "t4", 2, SegmentState.QUEUED, -1)));
    queued.sort(ControlRules.DISPATCH_ORDER);
    assertThat(queued).extracting(Segment::id).containsExactly(3L, 2L, 4L, 1L, 5L);
  }

  @Test
  void aPromotionQueuesTheNextSegmentWithTheRungAsPriority() {
    StudyView v = new StudyView(true, 3, List.of(seg(7, "t2", 1, SegmentState.LEASED, -1)));
    List<ControlAction> out =
        rules.promoted(
            v,
            List.of(
                new Promotion("t0", 1, 1, 3, 9, "ckpt/t0/3"),
                new Promotion("t2", 1, 0, 1, 3, "ckpt/t2/1")));
    // t2 still trains a segment: its promotion is stale and dropped.
    assertThat(out).containsExactly(new Enqueue("t0", 1, 3, 9, "ckpt/t0/3", 1));
    assertThat(rules.promoted(new StudyView(false, 3, List.of()), List.of(promo("t0")))).isEmpty();
  }

  private static Promotion promo(String trial) {
    return new Promotion(trial, 1, 0, 1, 3, "c");
  }

  @Test
  void theLastReportOfASegmentClosesItAndNoOtherDoes() {
    Segment s = new Segment(4, "t1", 2, 1, 3, "c", 0, SegmentState.LEASED, null);
    assertThat(rules.reported(s, 2, 2)).isEmpty();
    assertThat(rules.reported(s, 1, 3)).isEmpty(); // a straggler of the previous attempt
    assertThat(rules.reported(s, 2, 3))
        .containsExactly(new Close(4, SegmentState.DONE, LeaseOutcome.COMPLETED));
  }

  @Test
  void aFailureIsRetriedFromTheSameStartUntilMaxAttemptsThenFailsTheTrial() {
    Segment first = new Segment(9, "t1", 1, 1, 3, "ckpt/t1/1", 0, SegmentState.LEASED, null);
    StudyView v = new StudyView(true, 5, List.of(first));
    assertThat(rules.failed(v, first, "oom", LeaseOutcome.FAILED))
        .containsExactly(
            // the retry trains epochs 2..3 again: the failed lease's reports after epoch 1 are
            // fenced
            new Close(9, SegmentState.FAILED, LeaseOutcome.FAILED, 1),
            new RetryTrial("t1", 2, 1, "oom"),
            new Enqueue("t1", 2, 1, 3, "ckpt/t1/1", 0));
    Segment second = new Segment(10, "t1", 2, 1, 3, "ckpt/t1/1", 0, SegmentState.LEASED, null);
    assertThat(rules.failed(v, second, "oom", LeaseOutcome.FAILED))
        .containsExactly(
            new Close(10, SegmentState.FAILED, LeaseOutcome.FAILED),
            new FailTrial("t1", 2, 1, "oom"));
    // A cancelled study retries nothing.
    assertThat(rules.failed(new StudyView(false, 5, List.of(first)), first, "x", null))
        .containsExactly(new Close(9, SegmentState.FAILED, null), new FailTrial("t1", 1, 1, "x"));
  }

  @Test
  void anExpiryWithoutProgressIsChargedAsAFailure() {
    Segment s = seg(3, "t0", 1, SegmentState.LEASED, -1);
    assertThat(rules.expired(new StudyView(true, 2, List.of(s)), s, "w-7"))
        .containsExactly(
            new Close(3, SegmentState.FAILED, LeaseOutcome.LOST, 0),
            new RetryTrial("t0", 2, 0, "worker w-7 lost (lease expired without progress)"),
            new Enqueue("t0", 2, 0, 1, null, -1));
  }

  @Test
  void anExpiryOfALeaseAheadNeverStartedIsQueuedAgainUncharged() {
    Segment s = new Segment(4, "t2", 2, 3, 9, "ckpt/t2/3", 1, SegmentState.LEASED, null);
    StudyView running = new StudyView(true, 5, List.of(s));
    assertThat(rules.expired(running, s, "w-7", false))
        .containsExactly(new Requeue(4, new Checkpoint(3, "ckpt/t2/3"), LeaseOutcome.RELEASED));
    // started, the same expiry is charged: attempt 2 of 2 fails the trial
    assertThat(rules.expired(running, s, "w-7", true))
        .containsExactly(
            new Close(4, SegmentState.FAILED, LeaseOutcome.LOST),
            new FailTrial("t2", 2, 3, "worker w-7 lost (lease expired without progress)"));
    assertThat(rules.expired(new StudyView(false, 5, List.of(s)), s, "w-7", false))
        .containsExactly(new Close(4, SegmentState.CANCELLED, LeaseOutcome.RELEASED));
  }

  @Test
  void anExpiryAfterProgressResumesFromTheLatestCheckpointUncharged() {
    Segment s = new Segment(5, "t3", 1, 3, 9, "ckpt/t3/3", 1, SegmentState.LEASED, null);
    Segment progressed = withProgress(s, 6);
    assertThat(rules.expired(new StudyView(true, 5, List.of(s)), progressed, "w"))
        .containsExactly(new Requeue(5, new Checkpoint(6, "ckpt/t3/6"), LeaseOutcome.EXPIRED));
    // Its last epoch is checkpointed: it waits for the report rather than train again.
    assertThat(rules.expired(new StudyView(true, 5, List.of(s)), withProgress(s, 9), "w"))
        .containsExactly(new AwaitReport(5, LeaseOutcome.EXPIRED));
    // In a study cancelled meanwhile the segment is not handed out again.
    assertThat(rules.expired(new StudyView(false, 5, List.of(s)), progressed, "w"))
        .containsExactly(new Close(5, SegmentState.CANCELLED, LeaseOutcome.EXPIRED));
  }

  @Test
  void aReleaseIsNeverCharged() {
    Segment s = new Segment(5, "t3", 1, 3, 9, "ckpt/t3/3", 1, SegmentState.LEASED, null);
    StudyView running = new StudyView(true, 5, List.of(s));
    assertThat(rules.released(running, s))
        .containsExactly(new Requeue(5, new Checkpoint(3, "ckpt/t3/3"), LeaseOutcome.RELEASED));
    assertThat(rules.released(running, withProgress(s, 4)))
        .containsExactly(new Requeue(5, new Checkpoint(4, "ckpt/t3/4"), LeaseOutcome.RELEASED));
    assertThat(rules.released(new StudyView(false, 5, List.of(s)), withProgress(s, 4)))
        .containsExactly(new Close(5, SegmentState.CANCELLED, LeaseOutcome.RELEASED));
  }

  @Test
  void aFinishingSegmentWithoutItsReportTrainsAgain() {
    Segment s = new Segment(5, "t3", 1, 3, 9, "ckpt/t3/3", 1, SegmentState.FINISHING, null);
    StudyView running = new StudyView(true, 5, List.of(s));
    assertThat(rules.finishingTimedOut(running, withProgress(s, 9)))
        .containsExactly(new Requeue(5, new Checkpoint(3, "ckpt/t3/3"), LeaseOutcome.UNCONFIRMED));
    assertThat(rules.finishingTimedOut(running, withProgress(s, 7)))
        .containsExactly(new Requeue(5, new Checkpoint(7, "ckpt/t3/7"), LeaseOutcome.UNCONFIRMED));
    assertThat(rules.finishingTimedOut(new StudyView(false, 5, List.of(s)), withProgress(s, 7)))
        .containsExactly(new Close(5, SegmentState.CANCELLED, LeaseOutcome.UNCONFIRMED, null));
  }

  @Test
  void wantedCountsEverySlotAndTheBudgetOnlyWhileRunning() {
    assertThat(rules.wanted(new StudyView(true, 0, List.of()))).isEqualTo(2);
    assertThat(rules.wanted(new StudyView(true, 4, List.of()))).isEqualTo(1); // budget 5
    assertThat(rules.wanted(new StudyView(true, 5, List.of()))).isZero();
    List<Segment> one = List.of(seg(1, "t0", 1, SegmentState.FINISHING, -1));
    assertThat(rules.wanted(new StudyView(true, 1, one))).isEqualTo(1);
    List<Segment> two =
        List.of(seg(1, "t0", 1, SegmentState.QUEUED, 0), seg(2, "t1", 1, SegmentState.LEASED, -1));
    assertThat(rules.wanted(new StudyView(true, 2, two))).isZero();
    assertThat(rules.wanted(new StudyView(false, 0, List.of()))).isZero();
  }

  @Test
  void newTrialsMustBeTheNextNumbersWithinTheBudget() {
    StudyView v = new StudyView(true, 3, List.of());
    assertThat(rules.refuseTrials(v, 3, 2)).isEmpty();
    assertThat(rules.refuseTrials(v, 2, 1))
        .get()
        .extracting(Refusal::field)
        .isEqualTo("firstNumber");
    assertThat(rules.refuseTrials(v, 3, 3)).get().extracting(Refusal::field).isEqualTo("params");
    assertThat(rules.refuseTrials(new StudyView(false, 3, List.of()), 3, 1))
        .get()
        .extracting(Refusal::field)
        .isEqualTo("id");
    assertThat(rules.firstSegment("t3", 3)).isEqualTo(new Enqueue("t3", 1, 0, 1, null, -1));
  }

  @Test
  void theStudyCompletesOnlyWithEveryTrialCreatedAndNothingActive() {
    Segment leased = seg(1, "t4", 1, SegmentState.LEASED, -1);
    assertThat(rules.completion(new StudyView(true, 4, List.of()))).isEmpty();
    assertThat(rules.completion(new StudyView(true, 5, List.of(leased)))).isEmpty();
    assertThat(rules.completion(new StudyView(true, 5, List.of())))
        .contains(new EndStudy(ControlRules.COMPLETED, null));
    assertThat(rules.completion(new StudyView(false, 5, List.of()))).isEmpty();
  }

  @Test
  void cancellingDropsQueuedSegmentsAndLetsLeasedOnesFinish() {
    StudyView v =
        new StudyView(
            true,
            4,
            List.of(
                seg(1, "t0", 1, SegmentState.LEASED, -1),
                seg(2, "t1", 1, SegmentState.QUEUED, 0),
                seg(3, "t2", 1, SegmentState.FINISHING, -1)));
    assertThat(rules.end(v, ControlRules.CANCELLED, "by user"))
        .containsExactly(
            new Close(2, SegmentState.CANCELLED, null),
            new EndStudy(ControlRules.CANCELLED, "by user"));
    assertThat(rules.end(new StudyView(false, 4, List.of()), ControlRules.CANCELLED, "x"))
        .isEmpty();
  }

  @Test
  void aPausedStudyWantsNoTrialAndTakesNoneButStillPromotes() {
    StudyView paused = new StudyView(true, 1, List.of(), true);
    assertThat(rules.wanted(paused)).isZero();
    assertThat(rules.refuseTrials(paused, 1, 1))
        .get()
        .extracting(Refusal::message)
        .isEqualTo("the study is paused");
    assertThat(rules.promoted(paused, List.of(promo("t0")))).hasSize(1);
    assertThat(ControlRules.refusePause(ControlRules.RUNNING, true)).isEmpty();
    assertThat(ControlRules.refusePause(ControlRules.COMPLETED, true))
        .get()
        .extracting(Refusal::message)
        .isEqualTo("cannot pause a study that is completed: only a running study can be paused");
  }

  @Test
  void anExtensionAddsTrialsWithinTheLimitForAsynchronousSchedulesOnly() {
    assertThat(rules.extensionErrors(3, null, 100)).isEmpty();
    assertThat(rules.extensionErrors(null, null, 100))
        .extracting(Refusal::field)
        .containsExactly("trials");
    assertThat(rules.extensionErrors(96, null, 100))
        .extracting(Refusal::message)
        .containsExactly("the budget would be 101 trials, at most 100 are allowed");
    assertThat(rules.extensionErrors(null, 27, 100))
        .extracting(Refusal::field)
        .containsExactly("maxEpochs");
    ControlRules sha =
        new ControlRules(
            new StudyPolicy(FidelityLadder.of(new SchedulerSpec("sha", 1, 9, 3), 9), 9, 2, 2));
    assertThat(sha.extensionErrors(9, null, 100))
        .extracting(Refusal::field)
        .containsExactly("trials");
    assertThat(ControlRules.refuseExtension(ControlRules.COMPLETED)).isEmpty();
    assertThat(ControlRules.refuseExtension(ControlRules.CANCELLED)).isPresent();
  }
}
