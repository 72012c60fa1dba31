package io.sharpsweep.store.control;

import io.sharpsweep.store.control.ControlAction.AwaitReport;
import io.sharpsweep.store.control.ControlAction.Close;
import io.sharpsweep.store.control.ControlAction.EndStudy;
import io.sharpsweep.store.control.ControlAction.Enqueue;
import io.sharpsweep.store.control.ControlAction.FailTrial;
import io.sharpsweep.store.control.ControlAction.Requeue;
import io.sharpsweep.store.control.ControlAction.RetryTrial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's rules for one study, as pure functions of its policy and its {@link
 * StudyView}: no clock, no database, no I/O, so that the store and an in-memory simulation decide
 * alike.
 *
 * <ul>
 *   <li>New trials {@code firstNumber…} are accepted only while the study runs, when {@code
 *       firstNumber} is the next number and the budget of trials is not exceeded; each gets its
 *       first segment {@code 0 → ladder.firstEpoch(number)}, priority -1.
 *   <li>The last report of a segment closes it; a promotion queues the trial's next segment with
 *       the rung as its priority (not while the study is not running, nor while the trial still has
 *       an active segment).
 *   <li>A failure is charged: while the study runs and {@code attempt < maxAttempts} the trial is
 *       retried as {@code attempt + 1} from the segment's start, otherwise it fails.
 *   <li>An expired lease with progress re-queues the segment from its latest checkpoint (not
 *       charged); without progress it is a failure ("worker lost"). A release re-queues it (not
 *       charged), and so does the expiry of a lease granted ahead whose segment never started.
 *   <li>Cancelling drops the queued segments; leased ones finish.
 *   <li>{@code wanted = min(parallelism − queued − leased − finishing, trials − created)} while the
 *       study runs and is not paused; it completes once every trial is created and no segment is
 *       active.
 *   <li>Pausing and resuming apply to a running study only (pausing a paused one, or resuming a
 *       study that is not paused, changes nothing). A paused study stays running for every other
 *       rule: promotions and retries are queued, leased segments finish and their reports count.
 *   <li>An extension adds trials to a running or completed study (a completed one runs again), for
 *       the schedules whose bracket does not depend on the budget of trials.
 * </ul>
 */
public final class ControlRules {
  /** Dispatch order: the highest priority (rung) first, then the oldest. */
  public static final Comparator<Segment> DISPATCH_ORDER =
      Comparator.comparingInt(Segment::priority).reversed().thenComparingLong(Segment::id);

  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String CANCELLED = "cancelled";
  public static final String FAILED = "failed";

  private final StudyPolicy policy;

  public ControlRules(StudyPolicy policy) {
    this.policy = policy;
  }

  public StudyPolicy policy() {
    return policy;
  }

  /** How many new trials the study wants now. */
  public int wanted(StudyView s) {
    if (!s.running() || s.paused()) {
      return 0;
    }
    int slots =
        policy.parallelism()
            - s.count(SegmentState.QUEUED)
            - s.count(SegmentState.LEASED)
            - s.count(SegmentState.FINISHING);
    return Math.max(0, Math.min(slots, policy.trials() - s.created()));
  }

  /** Why trials {@code firstNumber…} (count of them) cannot be added now, or empty if they can. */
  public Optional<Refusal> refuseTrials(StudyView s, int firstNumber, int count) {
    if (!s.running()) {
      return Optional.of(new Refusal("id", "the study is not running"));
    }
    if (s.paused()) {
      return Optional.of(new Refusal("id", "the study is paused"));
    }
    if (firstNumber != s.created()) {
      return Optional.of(
          new Refusal(
              "firstNumber",
              "must be the study's next trial number " + s.created() + ", got " + firstNumber));
    }
    if (firstNumber + count > policy.trials()) {
      return Optional.of(
          new Refusal(
              "params",
              "the budget allows "
                  + Math.max(0, policy.trials() - firstNumber)
                  + " more trial(s), got "
                  + count));
    }
    return Optional.empty();
  }

  /**
   * Why a study in {@code state} cannot be paused ({@code pause}) or resumed now, or empty if it
   * can: only a running study can.
   */
  public static Optional<Refusal> refusePause(String state, boolean pause) {
    if (RUNNING.equals(state)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(
            "id",
            "cannot "
                + (pause ? "pause" : "resume")
                + " a study that is "
                + state
                + ": only a running study can be "
                + (pause ? "paused" : "resumed")));
  }

  /**
   * The field errors of an extension by {@code moreTrials} trials and a top rung of {@code
   * maxEpochs} (either may be null, not both); {@code maxTrials} is the largest budget of trials a
   * study may have.
   */
  public List<Refusal> extensionErrors(Integer moreTrials, Integer maxEpochs, int maxTrials) {
    List<Refusal> out = new ArrayList<>();
    if (moreTrials == null && maxEpochs == null) {
      out.add(new Refusal("trials", "is required: how many trials to add (or maxEpochs)"));
    }
    if (moreTrials != null) {
      if (moreTrials < 1) {
        out.add(new Refusal("trials", "must be at least 1, got " + moreTrials));
      } else if ((long) policy.trials() + moreTrials > maxTrials) {
        out.add(
            new Refusal(
                "trials",
                "the budget would be "
                    + ((long) policy.trials() + moreTrials)
                    + " trials, at most "
                    + maxTrials
                    + " are allowed"));
      } else if (policy.ladder().synchronous()) {
        out.add(
            new Refusal(
                "trials",
                "scheduler '"
                    + policy.ladder().type()
                    + "' cannot be extended: its last bracket was sized by the budget of trials,"
                    + " and a bracket's rungs wait for all of its trials"));
      }
    }
    if (maxEpochs != null) {
      // The learning rate follows a cosine schedule to 0 over the trial's maxEpochs: a trial that
      // reached its old top rung has decayed it to 0, and continuing it to a higher one would not
      // be the training a longer trial gets. The rungs are also fixed by the ladder.
      out.add(
          new Refusal(
              "maxEpochs",
              "cannot be raised for scheduler '"
                  + policy.ladder().type()
                  + "': a trial's learning rate follows a cosine schedule to 0 over its"
                  + " maxEpochs, so a trial that reached the old top rung cannot be continued;"
                  + " create a new study with the higher maxEpochs (warmStart.fromStudy learns"
                  + " from this one)"));
    }
    return out;
  }

  /**
   * Why {@code count} configurations cannot be enqueued now, {@code waiting} being enqueued
   * already, or empty if they can: the study runs (paused or not) and they fit in its budget of
   * trials, since each becomes one of its trials.
   */
  public Optional<Refusal> refuseEnqueue(StudyView s, int waiting, int count) {
    if (!s.running()) {
      return Optional.of(
          new Refusal("id", "the study is not running: only a running study takes configurations"));
    }
    long room = (long) policy.trials() - s.created() - waiting;
    if (count > room) {
      return Optional.of(
          new Refusal(
              "configs",
              "the budget allows "
                  + Math.max(0, room)
                  + " more trial(s) beyond those created and enqueued, got "
                  + count
                  + " configuration(s): extend the study first"));
    }
    return Optional.empty();
  }

  /** Why a study in {@code state} cannot be extended, or empty if it can: running or completed. */
  public static Optional<Refusal> refuseExtension(String state) {
    if (RUNNING.equals(state) || COMPLETED.equals(state)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(
            "id",
            "cannot extend a study that is "
                + state
                + ": only a running or completed study can be"));
  }

  /** The first segment of trial {@code number}. */
  public Enqueue firstSegment(String trialId, int number) {
    return new Enqueue(trialId, 1, 0, policy.ladder().firstEpoch(number), null, -1);
  }

  /** A report of epoch {@code epoch} of {@code attempt} was stored for the segment's trial. */
  public List<ControlAction> reported(Segment segment, int attempt, int epoch) {
    if (segment.attempt() != attempt || epoch < segment.toEpoch()) {
      return List.of();
    }
    return List.of(new Close(segment.id(), SegmentState.DONE, LeaseOutcome.COMPLETED));
  }

  /** The rung bookkeeping promoted these trials. */
  public List<ControlAction> promoted(StudyView s, List<Promotion> promotions) {
    List<ControlAction> out = new ArrayList<>();
    if (!s.running()) {
      return out;
    }
    for (Promotion p : promotions) {
      if (s.activeOf(p.trialId()).isPresent() || p.toEpoch() <= p.fromEpoch()) {
        continue;
      }
      out.add(
          new Enqueue(
              p.trialId(), p.attempt(), p.fromEpoch(), p.toEpoch(), p.checkpointUri(), p.rung()));
    }
    return out;
  }

  /** The segment failed (charged to its trial's attempts); {@code outcome} ends its lease. */
  public List<ControlAction> failed(
      StudyView s, Segment segment, String reason, LeaseOutcome outcome) {
    List<ControlAction> out = new ArrayList<>();
    boolean retry = s.running() && segment.attempt() < policy.maxAttempts();
    // A retry trains the segment's epochs again: the failed lease's late reports of them are
    // dropped. After a final failure nobody does, and they are the trial's last results.
    out.add(
        new Close(segment.id(), SegmentState.FAILED, outcome, retry ? segment.fromEpoch() : null));
    if (retry) {
      int next = segment.attempt() + 1;
      out.add(new RetryTrial(segment.trialId(), next, segment.fromEpoch(), reason));
      out.add(
          new Enqueue(
              segment.trialId(),
              next,
              segment.fromEpoch(),
              segment.toEpoch(),
              segment.checkpointUri(),
              segment.priority()));
    } else {
      out.add(new FailTrial(segment.trialId(), segment.attempt(), segment.fromEpoch(), reason));
    }
    return out;
  }

  /** The segment's lease passed its deadline; {@code workerId} held it and started it. */
  public List<ControlAction> expired(StudyView s, Segment segment, String workerId) {
    return expired(s, segment, workerId, true);
  }

  /**
   * The segment's lease passed its deadline; {@code workerId} held it. A lease granted ahead whose
   * segment never {@code started} was not trained (its worker died or left while training the
   * segment before it): it ends as a release does, uncharged (docs/control-plane.md, "Lease
   * ahead").
   */
  public List<ControlAction> expired(
      StudyView s, Segment segment, String workerId, boolean started) {
    if (!started) {
      return released(s, segment);
    }
    if (!segment.madeProgress()) {
      return failed(
          s,
          segment,
          "worker " + workerId + " lost (lease expired without progress)",
          LeaseOutcome.LOST);
    }
    return resume(s, segment, LeaseOutcome.EXPIRED);
  }

  /** The worker handed the segment back unfinished. */
  public List<ControlAction> released(StudyView s, Segment segment) {
    return resume(s, segment, LeaseOutcome.RELEASED);
  }

  /**
   * A finishing segment's last report did not arrive in time: it is trained again from its latest
   * checkpoint before its last epoch, else from its start (or, in a study that ended meanwhile,
   * cancelled).
   */
  public List<ControlAction> finishingTimedOut(StudyView s, Segment segment) {
    if (!s.running()) {
      return List.of(
          new Close(segment.id(), SegmentState.CANCELLED, LeaseOutcome.UNCONFIRMED, null));
    }
    Checkpoint from =
        segment.madeProgress() && segment.progress().epoch() < segment.toEpoch()
            ? segment.progress()
            : segment.start();
    return List.of(new Requeue(segment.id(), from, LeaseOutcome.UNCONFIRMED));
  }

  /** The study is cancelled or failed: queued segments are dropped, leased ones finish. */
  public List<ControlAction> end(StudyView s, String state, String reason) {
    List<ControlAction> out = new ArrayList<>();
    if (!s.running()) {
      return out;
    }
    for (Segment g : s.active()) {
      if (g.state() == SegmentState.QUEUED) {
        out.add(new Close(g.id(), SegmentState.CANCELLED, null));
      }
    }
    out.add(new EndStudy(state, reason));
    return out;
  }

  /** The study completes once every trial of the budget is created and no segment is active. */
  public Optional<EndStudy> completion(StudyView s) {
    return budgetCreated(s.running(), s.created()) && s.active().isEmpty()
        ? Optional.of(new EndStudy(COMPLETED, null))
        : Optional.empty();
  }

  /**
   * Whether a study in this state completes as soon as no segment is active: it runs and has
   * created every trial of its budget. Without it, {@link #completion} is empty whatever the
   * segments are, so they need not be read.
   */
  public boolean budgetCreated(boolean running, int created) {
    return running && created >= policy.trials();
  }

  /**
   * An unfinished segment's lease ended uncharged: it goes on from its latest checkpoint under the
   * next lease, unless its study has ended meanwhile (cancelled or failed: the leased segments were
   * left to finish, not to be handed out again).
   */
  private static List<ControlAction> resume(StudyView s, Segment segment, LeaseOutcome outcome) {
    if (segment.madeProgress() && segment.progress().epoch() >= segment.toEpoch()) {
      return List.of(new AwaitReport(segment.id(), outcome));
    }
    if (!s.running()) {
      return List.of(new Close(segment.id(), SegmentState.CANCELLED, outcome));
    }
    Checkpoint from = segment.madeProgress() ? segment.progress() : segment.start();
    return List.of(new Requeue(segment.id(), from, outcome));
  }
}
