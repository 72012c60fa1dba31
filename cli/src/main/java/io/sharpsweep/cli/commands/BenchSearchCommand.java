package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.sampler.bench.SearchBenchmark;
import io.sharpsweep.sampler.bench.SuggestLatency;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep bench-search}: the samplers on standard problems with known optima (Branin,
 * Hartmann-6, ZDT1) and the multi-fidelity schedulers on the learning-curve problem, in-process,
 * seeds 1..N.
 */
@Command(
    name = "bench-search",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark a sampler (and a multi-fidelity scheduler on `curves`): median and quartiles of simple regret, or of hypervolume (zdt1), or of epochs spent (curves) over seeds 1..N; --latency times one suggest call.")
public class BenchSearchCommand implements Callable<Integer> {
  @Option(
      names = "--problem",
      defaultValue = "branin",
      description = "branin, hartmann6, zdt1 or curves (default: ${DEFAULT-VALUE}).")
  String problem;

  @Option(
      names = "--sampler",
      defaultValue = "tpe",
      description = "random, sobol, tpe, gp, parego or motpe (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(
      names = "--scheduler",
      defaultValue = "none",
      description =
          "With --problem curves: none, sha, asha, hyperband or bohb (default: ${DEFAULT-VALUE}).")
  String scheduler;

  @Option(
      names = "--trials",
      defaultValue = "100",
      description = "Evaluations (configurations) per seed (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(
      names = "--seeds",
      defaultValue = "10",
      description = "Seeds 1..N (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--checkpoints",
      split = ",",
      paramLabel = "N",
      description = "Also score after these trial counts, e.g. 50,100.")
  int[] checkpoints;

  @Option(
      names = "--options",
      paramLabel = "JSON",
      description = "Sampler options as a JSON object, e.g. '{\"multivariate\": false}'.")
  String options;

  @Option(
      names = "--latency",
      description =
          "Time one suggest call with --observations past evaluations (Hartmann-6 space).")
  boolean latency;

  @Option(
      names = "--observations",
      defaultValue = "1000",
      description = "With --latency (default: ${DEFAULT-VALUE}).")
  int observations;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() {
    if (trials < 1 || seeds < 1) {
      throw new UserException("--trials and --seeds must be positive");
    }
    Map<String, Object> opts = options == null ? Map.of() : Json.decode(options, Map.class);
    if (latency) {
      SuggestLatency.Result r = SuggestLatency.measure(sampler, opts, observations, 200);
      System.out.println(json ? Json.encodeToString(r) : r.toTable());
      return 0;
    }
    if (problem.equals("curves")) {
      return CurvesBench.run(sampler, opts, scheduler, trials, seeds, json);
    }
    if (!scheduler.equals("none")) {
      throw new UserException(
          "--scheduler applies to --problem curves only (the other problems have no fidelity)");
    }
    if (!SearchBenchmark.problems().contains(problem)) {
      throw new UserException(
          "unknown problem '" + problem + "': one of " + SearchBenchmark.problems() + " or curves");
    }
    SearchBenchmark.Result r =
        SearchBenchmark.run(
            SearchBenchmark.problem(problem),
            sampler,
            opts,
            trials,
            seeds,
            checkpoints == null ? new int[0] : Arrays.stream(checkpoints).toArray());
    System.out.println(json ? Json.encodeToString(r.toJson()) : r.toTable());
    return 0;
  }
}
