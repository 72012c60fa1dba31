package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.fidelity.Schedule;
import io.sharpsweep.protocol.fidelity.Schedules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rungs and brackets of a study's schedule. The store uses it to give a new trial its first
 * segment, to know which epochs end a segment and which trials share a bracket; it lives in the
 * contract with the {@link Schedule}s it delegates to, so that every module computes it the same
 * way.
 *
 * <p><b>Rungs.</b> {@code r_k = minEpochs·eta^k} for every {@code k} with {@code r_k < maxEpochs},
 * then {@code maxEpochs} itself as the last rung (so {@code 1, 3, 9, 27} for 1/27/3, and {@code 1,
 * 3, 9, 20} for 1/20/3). {@code K} is the index of the last rung. A schedule that is not
 * multi-fidelity ({@code none}) has one rung: {@code maxEpochs}.
 *
 * <p><b>Brackets</b> are runs of consecutive trial numbers, laid out by the schedule ({@link
 * Schedule#bracket}); the last bracket holds what the budget of trials leaves, so that a
 * synchronous bracket knows how many results to wait for.
 */
public final class FidelityLadder {
  /**
   * One bracket: its running index, its Hyperband {@code s}, the rung its trials start at, and the
   * trial numbers {@code [firstNumber, firstNumber + size)} it holds.
   */
  public record Bracket(int index, int s, int minRung, int firstNumber, int size) {
    public boolean contains(int number) {
      return number >= firstNumber && number < firstNumber + size;
    }
  }

  private final Schedule schedule;
  private final int eta;
  private final int[] epochs;
  private final int trials;

  private FidelityLadder(Schedule schedule, int eta, int[] epochs, int trials) {
    this.schedule = schedule;
    this.eta = eta;
    this.epochs = epochs;
    this.trials = trials;
  }

  /** The study's ladder; the spec is assumed valid ({@link StudySpecValidator}). */
  public static FidelityLadder of(StudySpec spec) {
    return of(
        spec.scheduler(),
        spec.budget() == null || spec.budget().trials() == null
            ? Integer.MAX_VALUE
            : spec.budget().trials());
  }

  /**
   * @param trials the budget of trials (configurations); the last bracket is cut to it
   */
  public static FidelityLadder of(SchedulerSpec scheduler, int trials) {
    if (scheduler == null || scheduler.maxEpochs() == null || scheduler.maxEpochs() < 1) {
      throw new IllegalArgumentException("scheduler.maxEpochs is required and must be at least 1");
    }
    if (trials < 1) {
      throw new IllegalArgumentException("budget.trials must be at least 1, got " + trials);
    }
    Schedule schedule = Schedules.of(scheduler.typeOrDefault());
    String type = schedule.type();
    int max = scheduler.maxEpochs();
    if (!schedule.multiFidelity()) {
      return new FidelityLadder(schedule, scheduler.etaOrDefault(), new int[] {max}, trials);
    }
    int min = scheduler.minEpochsOrDefault();
    int eta = scheduler.etaOrDefault();
    if (min < 1 || min >= max || eta < 2) {
      throw new IllegalArgumentException(
          "scheduler '"
              + type
              + "' needs 1 <= minEpochs < maxEpochs and eta >= 2, got "
              + min
              + ", "
              + max
              + ", "
              + eta);
    }
    List<Integer> rungs = new ArrayList<>();
    for (long e = min; e < max; e *= eta) {
      rungs.add((int) e);
    }
    rungs.add(max);
    return new FidelityLadder(
        schedule, eta, rungs.stream().mapToInt(Integer::intValue).toArray(), trials);
  }

  /** The schedule that decides this ladder's promotions and lays out its brackets. */
  public Schedule schedule() {
    return schedule;
  }

  public String type() {
    return schedule.type();
  }

  /**
   * Whether trials run in segments between rungs (false for {@code none}: one segment to
   * maxEpochs).
   */
  public boolean multiFidelity() {
    return schedule.multiFidelity();
  }

  /** Whether a rung's promotions wait for every trial of its bracket. */
  public boolean synchronous() {
    return schedule.synchronous();
  }

  /** Whether every trial is in bracket 0: no trial number is needed to place it. */
  public boolean singleBracket() {
    return schedule.singleBracket();
  }

  public int eta() {
    return eta;
  }

  public int trials() {
    return trials;
  }

  public int rungCount() {
    return epochs.length;
  }

  /** Index of the last rung ({@code maxEpochs}); Hyperband's {@code s_max}. */
  public int topRung() {
    return epochs.length - 1;
  }

  public int maxEpochs() {
    return epochs[epochs.length - 1];
  }

  public int epochOf(int rung) {
    if (rung < 0 || rung >= epochs.length) {
      throw new IllegalArgumentException("rung must be in [0, " + topRung() + "], got " + rung);
    }
    return epochs[rung];
  }

  /** The rung that ends at {@code epoch}, or -1 if no rung does. */
  public int rungOf(int epoch) {
    int i = Arrays.binarySearch(epochs, epoch);
    return i >= 0 ? i : -1;
  }

  /**
   * The first rung that ends after {@code epoch}, or -1 past the last rung: where a segment from
   * {@code epoch} goes.
   */
  public int rungAfter(int epoch) {
    for (int k = 0; k < epochs.length; k++) {
      if (epochs[k] > epoch) {
        return k;
      }
    }
    return -1;
  }

  public List<Integer> epochs() {
    return Arrays.stream(epochs).boxed().toList();
  }

  /** The bracket trial {@code number} (0-based, in creation order) belongs to. */
  public Bracket bracketOf(int number) {
    if (number < 0) {
      throw new IllegalArgumentException("trial number must be at least 0, got " + number);
    }
    return schedule.bracketOf(this, number);
  }

  /** Bracket number {@code index} (its size cut to the budget of trials). */
  public Bracket bracket(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("bracket index must be at least 0, got " + index);
    }
    return schedule.bracket(this, index);
  }

  /** The epoch a new trial's first segment ends at: the first rung of its bracket. */
  public int firstEpoch(int number) {
    return epochs[bracketOf(number).minRung()];
  }

  /** {@code eta^exponent}, capped at {@link Integer#MAX_VALUE}: bracket sizes. */
  public long etaPow(int exponent) {
    return pow(eta, exponent);
  }

  /**
   * A bracket of {@code size} trials from {@code first} on, the last one cut to the budget of
   * trials.
   */
  public Bracket cutToBudget(int index, int s, int minRung, long first, long size) {
    long left = first < trials ? Math.min(size, trials - first) : size;
    return new Bracket(index, s, minRung, (int) Math.min(Integer.MAX_VALUE, first), (int) left);
  }

  /**
   * The rung whose observations a model-based sampler should learn from (BOHB, Falkner et al. 2018:
   * the highest budget with enough observations): the highest rung with at least {@link
   * #modelObservations(int)} of them; while none has that many, the rung with the most (the higher
   * on a tie); -1 when there are none at all.
   */
  public static int modelRung(int[] observationsPerRung, int dimensions) {
    int need = modelObservations(dimensions);
    for (int k = observationsPerRung.length - 1; k >= 0; k--) {
      if (observationsPerRung[k] >= need) {
        return k;
      }
    }
    int best = -1;
    for (int k = 0; k < observationsPerRung.length; k++) {
      if (observationsPerRung[k] > 0
          && (best < 0 || observationsPerRung[k] >= observationsPerRung[best])) {
        best = k;
      }
    }
    return best;
  }

  /**
   * Observations a rung needs before a sampler learns from it alone: {@code 10·(d + 1)} for {@code
   * d} searched parameters. BOHB wants {@code d + 1} points in its model's good set ({@code
   * N_min}); TPE's good set is the best tenth, so that takes ten times as many. With BOHB's own
   * {@code d + 2} TPE would see a good set of one point and propose little better than random draws
   * (docs/multi-fidelity.md, BOHB).
   */
  public static int modelObservations(int dimensions) {
    return 10 * (Math.max(0, dimensions) + 1);
  }

  private static long pow(long base, int exponent) {
    long r = 1;
    for (int i = 0; i < exponent; i++) {
      r = Math.min(r * base, Integer.MAX_VALUE);
    }
    return r;
  }
}
