package io.sharpsweep.protocol.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.FidelityLadder.Bracket;
import io.sharpsweep.protocol.study.SchedulerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every schedule keeps, run once per registered schedule type: a schedule added to
 * {@link Schedules} is tested here without writing anything. The runs are simulated studies: a pool
 * of workers whose segments end in a seeded random order, some failing for good, some reporting a
 * missing metric.
 */
class ScheduleConformanceTest {
  /** {minEpochs, maxEpochs, eta}: a ladder cut at maxEpochs, exact powers, eta 2, two rungs. */
  private static final int[][] SHAPES = {{1, 27, 3}, {1, 20, 3}, {2, 50, 2}, {1, 9, 3}, {3, 4, 2}};

  static Stream<String> schedules() {
    return Schedules.types().stream();
  }

  private static FidelityLadder ladder(String type, int[] shape, int trials) {
    return FidelityLadder.of(new SchedulerSpec(type, shape[0], shape[1], shape[2]), trials);
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void theRegistryAnswersWithTheScheduleOfTheType(String type) {
    Schedule schedule = Schedules.of(type);
    assertThat(schedule.type()).isEqualTo(type);
    assertThat(ladder(type, SHAPES[0], 10).schedule()).isSameAs(schedule);
    assertThat(schedule.rankedObjectives()).isBetween(0, 2);
    assertThatThrownBy(() -> Schedules.of(type + "-not")).hasMessageContaining("unknown scheduler");
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void rungsIncreaseAndEndAtMaxEpochs(String type) {
    for (int[] shape : SHAPES) {
      FidelityLadder l = ladder(type, shape, 100);
      List<Integer> epochs = l.epochs();
      assertThat(epochs.get(epochs.size() - 1)).isEqualTo(shape[1]);
      assertThat(l.maxEpochs()).isEqualTo(shape[1]);
      assertThat(epochs.get(0)).isEqualTo(l.multiFidelity() ? shape[0] : shape[1]);
      for (int k = 0; k < epochs.size(); k++) {
        if (k > 0) {
          assertThat(epochs.get(k)).isGreaterThan(epochs.get(k - 1));
        }
        assertThat(l.rungOf(epochs.get(k))).isEqualTo(k);
        assertThat(l.epochOf(k)).isEqualTo(epochs.get(k));
      }
      assertThat(l.topRung()).isEqualTo(epochs.size() - 1);
      assertThat(l.rungAfter(shape[1])).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void bracketsAreConsecutiveRunsOfTrialNumbersCutToTheBudget(String type) {
    for (int[] shape : SHAPES) {
      for (int trials : new int[] {1, 7, 100}) {
        FidelityLadder l = ladder(type, shape, trials);
        Bracket previous = null;
        for (int n = 0; n < trials; n++) {
          Bracket b = l.bracketOf(n);
          assertThat(b.contains(n)).as("bracket %s holds trial %d", b, n).isTrue();
          assertThat(l.bracket(b.index())).isEqualTo(b);
          assertThat(b.minRung()).isBetween(0, l.topRung());
          assertThat(b.size()).isPositive();
          assertThat(l.firstEpoch(n)).isEqualTo(l.epochOf(b.minRung()));
          if (l.singleBracket()) {
            assertThat(b.index()).isZero();
          }
          if (previous == null) {
            assertThat(b.index()).isZero();
            assertThat(b.firstNumber()).isZero();
          } else if (!previous.equals(b)) {
            assertThat(b.index()).isEqualTo(previous.index() + 1);
            assertThat(b.firstNumber()).isEqualTo(n);
            assertThat(previous.firstNumber() + previous.size()).isEqualTo(n);
          }
          previous = b;
        }
        assertThat(previous.firstNumber() + previous.size())
            .as("the last bracket ends at the budget")
            .isEqualTo(trials);
        if (!l.multiFidelity()) {
          assertThat(l.rungCount()).isOne();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void everyVerdictKeepsTheContract(String type) {
    for (int[] shape : SHAPES) {
      for (long seed = 1; seed <= 5; seed++) {
        new Study(ladder(type, shape, 60), 4, seed, 0.1, Mode.LIVE).run();
      }
    }
    new Study(ladder(type, SHAPES[0], 200), 16, 9, 0.2, Mode.LIVE).run();
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void withoutFailuresEveryBracketEndsWithATrialAtMaxEpochs(String type) {
    for (int[] shape : SHAPES) {
      int trials = 60;
      FidelityLadder l = ladder(type, shape, trials);
      Study study = new Study(l, 4, 3, 0, Mode.LIVE);
      study.run();
      Set<Integer> brackets = new HashSet<>();
      for (int n = 0; n < trials; n++) {
        brackets.add(l.bracketOf(n).index());
      }
      assertThat(study.completedBrackets)
          .as("brackets with a trial at maxEpochs, %s", List.of(shape[0], shape[1], shape[2]))
          .isEqualTo(brackets);
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void theSameArrivalsGetTheSameVerdicts(String type) {
    for (int[] shape : SHAPES) {
      List<List<Verdict>> first = new Study(ladder(type, shape, 60), 4, 5, 0.1, Mode.LIVE).run();
      List<List<Verdict>> again = new Study(ladder(type, shape, 60), 4, 5, 0.1, Mode.LIVE).run();
      assertThat(again).isEqualTo(first);
      assertThat(new Study(ladder(type, shape, 60), 4, 6, 0.1, Mode.LIVE).run())
          .as("another order of arrival")
          .isNotEqualTo(first);
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void aStateRebuiltFromStoredEntriesDecidesLikeTheLiveOne(String type) {
    for (int[] shape : SHAPES) {
      List<List<Verdict>> live = new Study(ladder(type, shape, 60), 4, 7, 0.1, Mode.LIVE).run();
      assertThat(new Study(ladder(type, shape, 60), 4, 7, 0.1, Mode.REBUILT).run()).isEqualTo(live);
      if (!Schedules.of(type).readsState()) {
        assertThat(new Study(ladder(type, shape, 60), 4, 7, 0.1, Mode.EMPTY).run())
            .as("readsState() is false: the entry alone decides")
            .isEqualTo(live);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void entriesThatDoNotFitTheLadderAreRefused(String type) {
    FidelityLadder l = ladder(type, SHAPES[0], 100);
    Schedule schedule = l.schedule();
    FidelityState state = new FidelityState();
    assertThatThrownBy(
            () ->
                schedule.onResult(
                    l, state, RungEntry.result("t0", 0, l.topRung() + 1, 1, 1, 0.5, 0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rung must be in");
    for (int n = 0; n < 100; n++) {
      Bracket b = l.bracketOf(n);
      if (b.minRung() > 0) {
        RungEntry early = RungEntry.result("t" + n, b.index(), b.minRung() - 1, 2, 1, 0.5, 0.5);
        assertThatThrownBy(() -> schedule.onResult(l, state, early))
            .hasMessageContaining("starts at rung " + b.minRung());
        break;
      }
    }
    String other =
        Schedules.types().stream().filter(t -> !t.equals(type)).findFirst().orElseThrow();
    FidelityLadder foreign = ladder(other, SHAPES[0], 100);
    assertThatThrownBy(
            () -> schedule.onResult(foreign, state, RungEntry.result("t0", 0, 0, 3, 1, 0.5, 0.5)))
        .hasMessageContaining("got a ladder of '" + other + "'");
    assertThat(state.entries()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void aRedeliveredArrivalIsRefusedAndChangesNothing(String type) {
    FidelityLadder l = ladder(type, SHAPES[0], 100);
    FidelityState state = new FidelityState();
    List<Verdict> first =
        l.schedule().onResult(l, state, RungEntry.result("t0", 0, 0, 1, 1, 0.5, 0.5));
    assertThat(first).extracting(Verdict::trialId).containsExactly("t0");
    assertThatThrownBy(
            () -> l.schedule().onResult(l, state, RungEntry.result("t0", 0, 0, 2, 2, 0.1, 0.1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already has an entry at rung 0");
    assertThat(state.entries()).hasSize(1);
  }

  /** How the schedule sees the study's earlier arrivals. */
  private enum Mode {
    /** One state, kept in memory, as the benchmark does. */
    LIVE,
    /** A state rebuilt from copies of the stored entries for each arrival, as the store does. */
    REBUILT,
    /** An empty state for each arrival, as the store hands a schedule that reads no state. */
    EMPTY
  }

  private enum Status {
    RUNNING,
    PARKED,
    COMPLETED,
    FAILED
  }

  private record Segment(String trial, int bracket, int rung) {}

  /**
   * A simulated study: at most {@code parallelism} segments run (a promotion may add one beyond);
   * the next to end is drawn at random; a segment fails for good with probability {@code failure},
   * a metric is missing with probability 0.05. Every arrival's verdicts are checked against the
   * contract.
   */
  private static final class Study {
    private final FidelityLadder ladder;
    private final Schedule schedule;
    private final int parallelism;
    private final Random random;
    private final double failure;
    private final Mode mode;
    private final FidelityState live = new FidelityState();
    private List<RungEntry> stored = new ArrayList<>();
    private final Map<String, Status> status = new HashMap<>();
    private final Map<String, Integer> parkedAt = new HashMap<>();
    private final List<Segment> running = new ArrayList<>();
    private final Set<Integer> completedBrackets = new HashSet<>();
    private long seq;
    private int created;

    Study(FidelityLadder ladder, int parallelism, long seed, double failure, Mode mode) {
      this.ladder = ladder;
      this.schedule = ladder.schedule();
      this.parallelism = parallelism;
      this.random = new Random(seed);
      this.failure = failure;
      this.mode = mode;
    }

    List<List<Verdict>> run() {
      List<List<Verdict>> log = new ArrayList<>();
      while (true) {
        while (running.size() < parallelism && created < ladder.trials()) {
          int n = created++;
          Bracket b = ladder.bracketOf(n);
          running.add(new Segment("t" + n, b.index(), b.minRung()));
          status.put("t" + n, Status.RUNNING);
        }
        if (running.isEmpty()) {
          break;
        }
        Segment s = running.remove(random.nextInt(running.size()));
        RungEntry entry =
            random.nextDouble() < failure
                ? RungEntry.failure(s.trial(), s.bracket(), s.rung(), ++seq, 1)
                : RungEntry.result(s.trial(), s.bracket(), s.rung(), ++seq, 1, metric(), metric());
        List<Verdict> verdicts = decide(entry);
        check(entry, verdicts);
        apply(entry, verdicts);
        log.add(verdicts);
      }
      for (Status st : status.values()) {
        assertThat(st).isNotEqualTo(Status.RUNNING);
      }
      return log;
    }

    private double metric() {
      return random.nextDouble() < 0.05 ? Double.NaN : random.nextDouble();
    }

    private List<Verdict> decide(RungEntry entry) {
      switch (mode) {
        case LIVE:
          return schedule.onResult(ladder, live, entry);
        case REBUILT:
          {
            List<RungEntry> copies = new ArrayList<>();
            for (RungEntry e : stored) {
              copies.add(0, copy(e));
            }
            FidelityState state = FidelityState.of(copies);
            List<Verdict> out = schedule.onResult(ladder, state, entry);
            stored = state.entries();
            return out;
          }
        default:
          return schedule.onResult(ladder, new FidelityState(), entry);
      }
    }

    private static RungEntry copy(RungEntry e) {
      return new RungEntry(
          e.trialId(),
          e.bracket(),
          e.rung(),
          e.seq(),
          e.attempt(),
          e.objectives(),
          e.failed(),
          e.promoted());
    }

    private void check(RungEntry entry, List<Verdict> verdicts) {
      String trial = entry.trialId();
      int top = ladder.topRung();
      boolean promotionsDone = false;
      Set<String> named = new HashSet<>();
      int own = 0;
      for (Verdict v : verdicts) {
        assertThat(named.add(v.trialId())).as("one verdict per trial: %s", verdicts).isTrue();
        if (v.action() != Action.PROMOTE) {
          promotionsDone = true;
        } else {
          assertThat(promotionsDone).as("promotions come first: %s", verdicts).isFalse();
        }
        if (v.trialId().equals(trial)) {
          own++;
          assertThat(v.rung()).isEqualTo(entry.rung());
        } else {
          assertThat(status.get(v.trialId()))
              .as("%s is about the arriving trial %s or a parked one", v, trial)
              .isEqualTo(Status.PARKED);
          assertThat(parkedAt.get(v.trialId())).isEqualTo(v.rung());
          assertThat(v.action()).isEqualTo(Action.PROMOTE);
        }
        assertThat(v.fromEpoch()).isEqualTo(ladder.epochOf(v.rung()));
        switch (v.action()) {
          case PROMOTE -> {
            assertThat(v.rung()).as("no promotion beyond the top rung").isLessThan(top);
            assertThat(v.toEpoch()).isEqualTo(ladder.epochOf(v.rung() + 1));
          }
          case PARK -> {
            assertThat(v.rung()).isLessThan(top);
            assertThat(v.toEpoch()).isNull();
          }
          case COMPLETE -> {
            assertThat(v.rung()).isEqualTo(top);
            assertThat(v.toEpoch()).isNull();
          }
          default -> throw new AssertionError("a schedule does not fail trials: " + v);
        }
      }
      assertThat(own)
          .as("the arriving trial's own verdicts for %s: %s", entry, verdicts)
          .isEqualTo(entry.failed() ? 0 : 1);
    }

    private void apply(RungEntry entry, List<Verdict> verdicts) {
      if (entry.failed()) {
        status.put(entry.trialId(), Status.FAILED);
      }
      for (Verdict v : verdicts) {
        int bracket = v.trialId().equals(entry.trialId()) ? entry.bracket() : bracketOf(v);
        switch (v.action()) {
          case PROMOTE -> {
            status.put(v.trialId(), Status.RUNNING);
            running.add(new Segment(v.trialId(), bracket, v.rung() + 1));
          }
          case PARK -> {
            status.put(v.trialId(), Status.PARKED);
            parkedAt.put(v.trialId(), v.rung());
          }
          default -> {
            assertThat(status.get(v.trialId())).isNotEqualTo(Status.COMPLETED);
            status.put(v.trialId(), Status.COMPLETED);
            completedBrackets.add(bracket);
          }
        }
      }
    }

    private int bracketOf(Verdict v) {
      return ladder.bracketOf(Integer.parseInt(v.trialId().substring(1))).index();
    }
  }
}
