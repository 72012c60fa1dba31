package io.sharpsweep.store.fidelity.bench;

import io.sharpsweep.protocol.fidelity.FidelityState;
import io.sharpsweep.protocol.fidelity.RungEntry;
import io.sharpsweep.protocol.fidelity.Schedule;
import io.sharpsweep.protocol.fidelity.Schedules;
import io.sharpsweep.protocol.fidelity.Verdict;
import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.study.SchedulerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import io.sharpsweep.sampler.bench.Branin;
import io.sharpsweep.store.control.ControlAction;
import io.sharpsweep.store.control.ControlAction.Close;
import io.sharpsweep.store.control.ControlAction.Enqueue;
import io.sharpsweep.store.control.ControlRules;
import io.sharpsweep.store.control.Promotion;
import io.sharpsweep.store.control.Segment;
import io.sharpsweep.store.control.SegmentState;
import io.sharpsweep.store.control.StudyPolicy;
import io.sharpsweep.store.control.StudyView;
import io.sharpsweep.store.control.SuggestPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The learning-curve problem, run in process through the control plane's own rules with a simulated
 * clock and pool of workers. {@code curve_loss(x, e) = branin(x) + A(x)/e + 0.2·sin(12.9898·x1 +
 * 78.233·x2 + 37.719·e)} with {@code A(x) = 5 + 10·(x1+5)/15}, {@code x1 ∈ [-5, 10]}, {@code x2 ∈
 * [0, 15]}, epochs {@code 1..maxEpochs}.
 *
 * <p>The simulation is the store without its database: the study's segments live in memory, and
 * every decision is taken by the code the store runs — {@link ControlRules} (trials wanted, first
 * segments, a segment closed by its last report, promotions queued, the dispatch order: highest
 * rung first), {@link SuggestPlan} (the sampler's request: one rung's observations, the active
 * configurations as pending, the reseeding) and the study's {@link Schedule}. {@code parallelism}
 * workers lease queued segments; a segment from epoch {@code a} to {@code b} takes {@code b − a}
 * units of simulated time, and its end is a rung result (the loss at {@code b}).
 *
 * <p><b>What a run returns.</b> The best configuration is the one with the lowest observed {@code
 * curve_loss} at the highest rung any trial reached (ties: the earlier result). Its regret is the
 * noise-free {@code branin(x) − 0.397887}; the run's cost is every epoch trained, all segments of
 * all trials.
 *
 * <p>The configuration source is any {@code Function<SuggestRequest, SuggestResponse>}, e.g. the
 * sampler module's {@code new SamplerService()::suggest}; this module does not depend on the
 * sampler.
 */
public final class CurvesBenchmark {
  public static final double BRANIN_MINIMUM = 0.397887;
  public static final String OBJECTIVE = "curve_loss";

  /**
   * The schedulers this single-objective problem can run ({@code mo-asha} needs two objectives).
   */
  public static final List<String> SCHEDULERS =
      Schedules.types().stream().filter(t -> Schedules.of(t).rankedObjectives() <= 1).toList();

  public static final SearchSpace SPACE =
      new SearchSpace(
          List.of(
              ParamSpec.floatParam("x1", -5, 10, false), ParamSpec.floatParam("x2", 0, 15, false)));

  /**
   * One benchmark: the scheduler type ({@code none|sha|asha|hyperband|bohb}), the sampler given to
   * the source (its seed is replaced by each run's seed), the budget of configurations, the seeds
   * {@code firstSeed … firstSeed+seeds−1}, the pool size and the ladder.
   */
  public record Options(
      String scheduler,
      SamplerSpec sampler,
      int trials,
      int seeds,
      long firstSeed,
      int parallelism,
      int minEpochs,
      int maxEpochs,
      int eta) {
    /**
     * The README's setting: 100 configurations, seeds 1..10 (as {@code sharpsweep bench-search}), 4
     * workers, epochs 1..27, eta 3.
     */
    public static Options standard(String scheduler, String sampler) {
      return new Options(scheduler, new SamplerSpec(sampler, 1L, null), 100, 10, 1, 4, 1, 27, 3);
    }

    public Options {
      if (trials < 1 || seeds < 1 || parallelism < 1) {
        throw new IllegalArgumentException(
            "trials, seeds and parallelism must be at least 1, got "
                + trials
                + ", "
                + seeds
                + ", "
                + parallelism);
      }
      if (sampler == null || sampler.type() == null) {
        throw new IllegalArgumentException("sampler.type is required");
      }
      if (!SCHEDULERS.contains(scheduler)) {
        throw new IllegalArgumentException(
            "scheduler must be one of "
                + SCHEDULERS
                + " (the problem has one objective), got "
                + scheduler);
      }
    }
  }

  /**
   * One seed: the returned configuration, its regret, the epochs trained and the simulated time it
   * took.
   */
  public record SeedResult(
      long seed,
      double regret,
      long epochs,
      double makespan,
      int configurations,
      Map<String, Object> best,
      double observedLoss,
      int bestRung,
      int bestEpoch) {}

  /**
   * Medians and quartiles over the seeds (linear interpolation between order statistics), and every
   * seed.
   */
  public record Result(
      String problem,
      String scheduler,
      String sampler,
      int trials,
      int seeds,
      int parallelism,
      List<Integer> rungs,
      double medianRegret,
      double q25Regret,
      double q75Regret,
      double medianEpochs,
      double q25Epochs,
      double q75Epochs,
      List<SeedResult> perSeed) {}

  private final Function<SuggestRequest, SuggestResponse> source;

  public CurvesBenchmark(Function<SuggestRequest, SuggestResponse> source) {
    this.source = source;
  }

  public Result run(Options o) {
    List<SeedResult> perSeed = new ArrayList<>();
    for (int i = 0; i < o.seeds(); i++) {
      perSeed.add(runSeed(o, o.firstSeed() + i));
    }
    double[] regrets = perSeed.stream().mapToDouble(SeedResult::regret).toArray();
    double[] epochs = perSeed.stream().mapToDouble(SeedResult::epochs).toArray();
    return new Result(
        "curves",
        o.scheduler(),
        o.sampler().type(),
        o.trials(),
        o.seeds(),
        o.parallelism(),
        ladder(o).epochs(),
        quantile(regrets, 0.5),
        quantile(regrets, 0.25),
        quantile(regrets, 0.75),
        quantile(epochs, 0.5),
        quantile(epochs, 0.25),
        quantile(epochs, 0.75),
        List.copyOf(perSeed));
  }

  /** One simulated study with the sampler seeded by {@code seed}. */
  public SeedResult runSeed(Options o, long seed) {
    return new Simulation(o, seed).run();
  }

  public static double curveLoss(double x1, double x2, int epoch) {
    double a = 5 + 10 * (x1 + 5) / 15;
    return Branin.value(x1, x2)
        + a / epoch
        + 0.2 * Math.sin(12.9898 * x1 + 78.233 * x2 + 37.719 * epoch);
  }

  /**
   * The {@code p}-quantile with linear interpolation between order statistics (numpy's default).
   */
  public static double quantile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static Segment withState(Segment g, SegmentState state) {
    return new Segment(
        g.id(),
        g.trialId(),
        g.attempt(),
        g.fromEpoch(),
        g.toEpoch(),
        g.checkpointUri(),
        g.priority(),
        state,
        g.progress());
  }

  private static FidelityLadder ladder(Options o) {
    return FidelityLadder.of(
        new SchedulerSpec(o.scheduler(), o.minEpochs(), o.maxEpochs(), o.eta()), o.trials());
  }

  private final class Simulation {
    private final Options o;
    private final long seed;
    private final FidelityLadder ladder;
    private final Schedule core;
    private final ControlRules rules;
    private final FidelityState state = new FidelityState();
    private final Map<String, Map<String, Object>> params = new HashMap<>();
    private final Map<String, Integer> brackets = new HashMap<>();
    private final Map<Long, Segment> active = new LinkedHashMap<>();
    private final Map<Long, Double> endsAt = new HashMap<>();
    private final Map<Long, Long> leasedAs = new HashMap<>();
    private final List<Map<String, Observation>> observations = new ArrayList<>();
    private double clock;
    private long epochs;
    private long order;
    private long segmentIds;
    private int created;

    Simulation(Options o, long seed) {
      this.o = o;
      this.seed = seed;
      this.ladder = ladder(o);
      this.core = ladder.schedule();
      this.rules = new ControlRules(new StudyPolicy(ladder, o.trials(), o.parallelism(), 1));
      for (int k = 0; k < ladder.rungCount(); k++) {
        observations.add(new LinkedHashMap<>());
      }
    }

    SeedResult run() {
      while (true) {
        createTrials();
        dispatch();
        Optional<Segment> next =
            active.values().stream()
                .filter(g -> g.state() == SegmentState.LEASED)
                .min(
                    Comparator.comparingDouble((Segment g) -> endsAt.get(g.id()))
                        .thenComparingLong(g -> leasedAs.get(g.id())));
        if (next.isEmpty()) {
          break;
        }
        finish(next.get());
      }
      return result();
    }

    /** The segment's last report: it closes, its rung result goes to the core. */
    private void finish(Segment s) {
      clock = endsAt.get(s.id());
      epochs += s.toEpoch() - s.fromEpoch();
      apply(rules.reported(s, s.attempt(), s.toEpoch()));
      int rung = ladder.rungOf(s.toEpoch());
      Map<String, Object> x = params.get(s.trialId());
      double loss = curveLoss(x1(x), x2(x), s.toEpoch());
      observations.get(rung).put(s.trialId(), new Observation(x, List.of(loss)));
      List<Promotion> promotions = new ArrayList<>();
      for (Verdict v :
          core.onResult(
              ladder,
              state,
              RungEntry.result(s.trialId(), brackets.get(s.trialId()), rung, ++order, 1, loss))) {
        if (v.action() == Action.PROMOTE) {
          promotions.add(new Promotion(v.trialId(), 1, v.rung(), v.fromEpoch(), v.toEpoch(), null));
        }
      }
      apply(rules.promoted(view(), promotions));
    }

    /** The trials the rules want now, configured by the source. */
    private void createTrials() {
      int n = rules.wanted(view());
      if (n <= 0) {
        return;
      }
      List<Pending> pending =
          active.values().stream().map(g -> new Pending(params.get(g.trialId()))).toList();
      SuggestRequest request =
          SuggestPlan.request(
              SPACE,
              List.of(new Objective(OBJECTIVE, Goal.MINIMIZE)),
              new SamplerSpec(o.sampler().type(), seed, o.sampler().options()),
              ladder,
              observations,
              pending,
              created,
              n);
      SuggestResponse response = source.apply(request);
      List<Suggestion> suggestions =
          response == null || response.suggestions() == null ? List.of() : response.suggestions();
      for (Suggestion s : suggestions.subList(0, Math.min(n, suggestions.size()))) {
        int number = created++;
        String trialId = "t" + number;
        params.put(trialId, Map.copyOf(s.params()));
        brackets.put(trialId, ladder.bracketOf(number).index());
        apply(List.of(rules.firstSegment(trialId, number)));
      }
    }

    /** Idle workers (one per slot) lease the queued segments in the rules' dispatch order. */
    private void dispatch() {
      List<Segment> queued =
          active.values().stream()
              .filter(g -> g.state() == SegmentState.QUEUED)
              .sorted(ControlRules.DISPATCH_ORDER)
              .toList();
      long busy = active.values().stream().filter(g -> g.state() == SegmentState.LEASED).count();
      for (Segment g : queued) {
        if (busy++ >= o.parallelism()) {
          return;
        }
        active.put(g.id(), withState(g, SegmentState.LEASED));
        endsAt.put(g.id(), clock + (g.toEpoch() - g.fromEpoch()));
        leasedAs.put(g.id(), ++order);
      }
    }

    private StudyView view() {
      return new StudyView(true, created, List.copyOf(active.values()));
    }

    /** What the store does with the rules' actions, in memory; nothing here fails or retries. */
    private void apply(List<? extends ControlAction> actions) {
      for (ControlAction a : actions) {
        if (a instanceof Enqueue e) {
          long id = ++segmentIds;
          active.put(
              id,
              new Segment(
                  id,
                  e.trialId(),
                  e.attempt(),
                  e.fromEpoch(),
                  e.toEpoch(),
                  e.checkpointUri(),
                  e.priority(),
                  SegmentState.QUEUED,
                  null));
        } else if (a instanceof Close c) {
          active.remove(c.segmentId());
        } else {
          throw new IllegalStateException("the simulation has no failures, got " + a);
        }
      }
    }

    private SeedResult result() {
      RungEntry best = null;
      for (RungEntry e : state.entries()) {
        if (!e.finite()) {
          continue;
        }
        if (best == null
            || e.rung() > best.rung()
            || (e.rung() == best.rung()
                && (e.objective(0) < best.objective(0)
                    || (e.objective(0) == best.objective(0) && e.seq() < best.seq())))) {
          best = e;
        }
      }
      if (best == null) {
        return new SeedResult(
            seed, Double.NaN, epochs, clock, created, Map.of(), Double.NaN, -1, 0);
      }
      Map<String, Object> x = params.get(best.trialId());
      double regret = Branin.value(x1(x), x2(x)) - BRANIN_MINIMUM;
      return new SeedResult(
          seed,
          regret,
          epochs,
          clock,
          created,
          x,
          best.objective(0),
          best.rung(),
          ladder.epochOf(best.rung()));
    }
  }

  private static double x1(Map<String, Object> x) {
    return ((Number) x.get("x1")).doubleValue();
  }

  private static double x2(Map<String, Object> x) {
    return ((Number) x.get("x2")).doubleValue();
  }
}
