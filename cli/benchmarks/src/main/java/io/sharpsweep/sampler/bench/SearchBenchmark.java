package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.pareto.Hypervolume;
import io.sharpsweep.protocol.pareto.Pareto;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.SamplerService;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs a sampler on a benchmark problem as a study would, in-process through {@link
 * SamplerService}: one suggestion at a time, each evaluated before the next is asked for
 * (sequential, like an Optuna study), {@code trials} evaluations for each of {@code seeds} seeds
 * ({@code 1..seeds}; {@code --first-seed k}: {@code k..k+seeds-1}). Reports the median and
 * quartiles over seeds of the simple regret (best value found minus {@code f*}) or of the final
 * hypervolume, at the end and at earlier checkpoints (the same runs cut short: a sampler does not
 * know how many trials are left).
 *
 * <pre>
 * java -cp ... io.sharpsweep.sampler.bench.SearchBenchmark --problem branin --sampler tpe \
 *     --trials 100 --seeds 10 [--first-seed 1] [--checkpoints 50,100] \
 *     [--options '{"multivariate": false}'] [--json]
 * java -cp ... io.sharpsweep.sampler.bench.SearchBenchmark --latency --sampler tpe \
 *     --observations 1000 [--repeats 200] [--json]
 * </pre>
 */
public final class SearchBenchmark {
  private static final Map<String, Supplier<Problem>> PROBLEMS = new TreeMap<>();

  static {
    PROBLEMS.put("branin", Branin::new);
    PROBLEMS.put("hartmann6", Hartmann6::new);
    PROBLEMS.put("zdt1", Zdt1::new);
  }

  private SearchBenchmark() {}

  /** The problems {@code --problem} knows. */
  public static List<String> problems() {
    return List.copyOf(PROBLEMS.keySet());
  }

  /** The problem of that name; IllegalArgumentException naming the known ones otherwise. */
  public static Problem problem(String name) {
    Supplier<Problem> p = PROBLEMS.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown problem '" + name + "': one of " + PROBLEMS.keySet());
    }
    return p.get();
  }

  /** The score of one run at one checkpoint, and its summary over seeds. */
  public record Checkpoint(int trials, double median, double q25, double q75, double[] perSeed) {}

  /**
   * The outcome of {@link #run}: {@code measure} is {@code regret} (smaller is better) or {@code
   * hypervolume} (larger is better); the last checkpoint is the full run.
   */
  public record Result(
      String problem,
      String sampler,
      Map<String, Object> options,
      int trials,
      int seeds,
      String measure,
      List<Checkpoint> checkpoints,
      double seconds) {

    public Checkpoint last() {
      return checkpoints.get(checkpoints.size() - 1);
    }

    /** One JSON object: {@code medianRegret, q25Regret, q75Regret, perSeed} (or hypervolume). */
    public Map<String, Object> toJson() {
      String m = measure.equals("regret") ? "Regret" : "Hypervolume";
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("problem", problem);
      j.put("sampler", sampler);
      j.put("options", options);
      j.put("trials", trials);
      j.put("seeds", seeds);
      j.put("median" + m, last().median());
      j.put("q25" + m, last().q25());
      j.put("q75" + m, last().q75());
      j.put("perSeed", last().perSeed());
      List<Map<String, Object>> cps = new ArrayList<>();
      for (Checkpoint c : checkpoints) {
        Map<String, Object> cj = new LinkedHashMap<>();
        cj.put("trials", c.trials());
        cj.put("median" + m, c.median());
        cj.put("q25" + m, c.q25());
        cj.put("q75" + m, c.q75());
        cj.put("perSeed", c.perSeed());
        cps.add(cj);
      }
      j.put("checkpoints", cps);
      j.put("seconds", seconds);
      return j;
    }

    /** A readable table, one row per checkpoint. */
    public String toTable() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "%s / %s %s, %d seeds, %.1f s%n",
              problem,
              sampler,
              options.isEmpty() ? "" : Json.encodeToString(options),
              seeds,
              seconds));
      b.append(
          String.format(
              Locale.ROOT, "%8s  %12s  %12s  %12s%n", "trials", "median " + measure, "q25", "q75"));
      for (Checkpoint c : checkpoints) {
        b.append(
            String.format(
                Locale.ROOT,
                "%8d  %12.4g  %12.4g  %12.4g%n",
                c.trials(),
                c.median(),
                c.q25(),
                c.q75()));
      }
      return b.toString();
    }
  }

  /**
   * Runs {@code sampler} (a registered type, with {@code options}) on {@code problem}: {@code
   * trials} sequential evaluations for each seed {@code 1..seeds}, scored at {@code checkpoints}
   * (trial counts up to {@code trials}; {@code trials} itself is always one).
   */
  public static Result run(
      Problem problem,
      String sampler,
      Map<String, Object> options,
      int trials,
      int seeds,
      int... checkpoints) {
    return runFrom(problem, sampler, options, trials, 1, seeds, checkpoints);
  }

  /**
   * {@link #run} on the seeds {@code firstSeed .. firstSeed + seeds - 1}: fresh seeds, to check
   * that a change chosen on {@code 1..seeds} is not fitted to them.
   */
  public static Result runFrom(
      Problem problem,
      String sampler,
      Map<String, Object> options,
      int trials,
      int firstSeed,
      int seeds,
      int... checkpoints) {
    SamplerService service = new SamplerService();
    int[] cps =
        Arrays.stream(checkpoints).filter(c -> c > 0 && c < trials).sorted().distinct().toArray();
    cps = Arrays.copyOf(cps, cps.length + 1);
    cps[cps.length - 1] = trials;
    double[][] scores = new double[cps.length][seeds];
    long start = System.nanoTime();
    for (int s = 0; s < seeds; s++) {
      List<double[]> values = new ArrayList<>(trials);
      List<Observation> observations = new ArrayList<>(trials);
      SamplerSpec spec = new SamplerSpec(sampler, (long) firstSeed + s, options);
      int next = 0;
      for (int t = 0; t < trials; t++) {
        SuggestRequest request =
            new SuggestRequest(
                problem.space(),
                problem.objectives(),
                spec,
                List.copyOf(observations),
                List.of(),
                1);
        Map<String, Object> params = service.suggest(request).suggestions().get(0).params();
        double[] v = problem.evaluate(params);
        values.add(v);
        List<Double> boxed = new ArrayList<>(v.length);
        for (double x : v) {
          boxed.add(x);
        }
        observations.add(new Observation(params, boxed));
        if (t + 1 == cps[next]) {
          scores[next++][s] = score(problem, values);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Checkpoint> out = new ArrayList<>();
    for (int c = 0; c < cps.length; c++) {
      double[] per = scores[c];
      out.add(
          new Checkpoint(
              cps[c], quantile(per, 0.5), quantile(per, 0.25), quantile(per, 0.75), per.clone()));
    }
    return new Result(
        problem.name(),
        sampler,
        options,
        trials,
        seeds,
        problem.optimum() != null ? "regret" : "hypervolume",
        out,
        seconds);
  }

  /** Simple regret of a single-objective run, or the hypervolume of a multi-objective one. */
  static double score(Problem problem, List<double[]> values) {
    if (problem.optimum() != null) {
      boolean max = problem.objectives().get(0).goal() == Goal.MAXIMIZE;
      double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      for (double[] v : values) {
        best = max ? Math.max(best, v[0]) : Math.min(best, v[0]);
      }
      return max ? problem.optimum() - best : best - problem.optimum();
    }
    List<Goal> goals = problem.objectives().stream().map(Objective::goal).toList();
    double[][] pts = Pareto.minimised(values.toArray(new double[0][]), goals);
    double[] ref = Pareto.minimised(problem.referencePoint(), goals);
    return Hypervolume.of(pts, ref);
  }

  /**
   * The {@code p}-quantile with linear interpolation between order statistics (numpy's default).
   */
  public static double quantile(double[] values, double p) {
    double[] s = values.clone();
    Arrays.sort(s);
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (h - lo) * (s[hi] - s[lo]);
  }

  /** Command-line entry point; see the class comment. Exit code 2 on bad arguments. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    Map<String, String> a;
    try {
      a = parse(args);
      if (a.containsKey("latency")) {
        SuggestLatency.Result r =
            SuggestLatency.measure(
                a.getOrDefault("sampler", "tpe"),
                options(a),
                Integer.parseInt(a.getOrDefault("observations", "1000")),
                Integer.parseInt(a.getOrDefault("repeats", "200")));
        out.println(a.containsKey("json") ? Json.encodeToString(r) : r.toTable());
        return;
      }
      Problem problem = problem(a.getOrDefault("problem", "branin"));
      int trials = Integer.parseInt(a.getOrDefault("trials", "100"));
      int seeds = Integer.parseInt(a.getOrDefault("seeds", "10"));
      int firstSeed = Integer.parseInt(a.getOrDefault("first-seed", "1"));
      int[] cps =
          a.containsKey("checkpoints")
              ? Arrays.stream(a.get("checkpoints").split(","))
                  .mapToInt(s -> Integer.parseInt(s.trim()))
                  .toArray()
              : new int[0];
      Result r =
          runFrom(
              problem, a.getOrDefault("sampler", "tpe"), options(a), trials, firstSeed, seeds, cps);
      if (a.containsKey("json")) {
        Map<String, Object> j = r.toJson();
        j.put("firstSeed", firstSeed);
        out.println(Json.encodeToString(j));
      } else {
        if (firstSeed != 1) {
          out.printf(Locale.ROOT, "seeds %d..%d%n", firstSeed, firstSeed + seeds - 1);
        }
        out.println(r.toTable());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> options(Map<String, String> a) {
    return a.containsKey("options") ? Json.decode(a.get("options"), Map.class) : Map.of();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String key = args[i].substring(2);
      if (key.equals("json") || key.equals("latency")) {
        a.put(key, "true");
      } else if (i + 1 < args.length) {
        a.put(key, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + key + " needs a value");
      }
    }
    return a;
  }
}
