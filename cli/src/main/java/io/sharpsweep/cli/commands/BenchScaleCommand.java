package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.bench.ScaleBench;
import io.sharpsweep.cli.plot.ScaleChart;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StoreClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep bench-scale}: the control plane under fleets of 8 to 512 workers. Starts the
 * local stack without trainer-workers (the real broker, results-store, sampler and scheduler as
 * processes) and, for each N, runs one study on a {@code SimulatedFleet} of N workers in this JVM:
 * the worker's lease client, lease protocol and Kafka reports, with training replaced by a timed
 * sleep and a synthetic learning curve.
 */
@Command(
    name = "bench-scale",
    mixinStandardHelpOptions = true,
    description =
        "Measure the control plane with N simulated workers (real broker, store, sampler, scheduler; the workers' lease protocol and Kafka reports, training simulated): makespan against the ideal, idle fraction, dispatch, report → decision and suggest latencies, and their growth with N.")
public class BenchScaleCommand implements Callable<Integer> {
  @Mixin
  BenchStackOptions stack = new BenchStackOptions("bench-scale", "h2", 600, "bench_scale", false);

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "8,64,256,512",
      paramLabel = "N",
      description = "Fleet sizes, one study each (default: ${DEFAULT-VALUE}).")
  int[] workers;

  @Option(
      names = "--trials",
      defaultValue = "0",
      description =
          "Trials per study; 0 means 2 × N, so that every worker trains two trials (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(
      names = "--parallelism",
      defaultValue = "0",
      description =
          "The studies' budget.parallelism; 0 means all their trials at once (at most 1024), so that the fleet is the limit (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(
      names = "--epochs",
      defaultValue = "3",
      description = "Epochs per trial (maxEpochs; default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--epoch-seconds",
      defaultValue = "2",
      description = "Simulated time of one epoch (default: ${DEFAULT-VALUE}).")
  double epochSeconds;

  @Option(
      names = "--scheduler",
      defaultValue = "none",
      description =
          "none (every trial trains every epoch: the ideal is exact) or asha (rungs at 1, 3, 9 …; the ideal counts the epochs stored) (default: ${DEFAULT-VALUE}).")
  String scheduler;

  @Option(
      names = "--sampler",
      defaultValue = "random",
      description = "The studies' sampler (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(
      names = "--probe-sampler",
      defaultValue = "tpe",
      description =
          "The sampler the suggest-latency probe asks once a second, with 64 observations (default: ${DEFAULT-VALUE}).")
  String probeSampler;

  @Option(
      names = "--lease-wait",
      defaultValue = "10",
      description =
          "Long poll of one lease request, seconds (the worker's default: ${DEFAULT-VALUE}).")
  int leaseWait;

  @Option(
      names = "--lease-ahead",
      defaultValue = "5",
      description =
          "The workers' lease-ahead window, seconds: the next segment is asked for when the"
              + " current one's expected remaining time falls below it; 0 disables (the worker's"
              + " default: ${DEFAULT-VALUE}).")
  double leaseAhead;

  @Option(
      names = "--warm-up",
      negatable = true,
      defaultValue = "true",
      description =
          "Run a short study on the smallest N before the measured sizes, not counted (JIT,"
              + " connection pools); --no-warm-up skips it.")
  boolean warmUp;

  @Option(
      names = "--store-property",
      paramLabel = "KEY=VALUE",
      description =
          "A results-store configuration key for this run, e.g. sharpsweep.store.ingest-chunk=200"
              + " (repeatable; for comparing settings).")
  Map<String, String> storeProperties = new HashMap<>();

  @Option(
      names = "--png",
      paramLabel = "FILE",
      description = "Also draw the figures against N to this PNG.")
  Path png;

  @Override
  public Integer call() throws Exception {
    stack.check();
    validate();
    int[] sizes = Arrays.stream(workers).sorted().toArray();
    Path home = Endpoints.home();
    // a fresh store and checkpoints each run; the broker keeps its data
    checkStoreProperties();
    Path work = stack.workDir(home, "store", "checkpoints");
    PrintStream log = stack.log();
    StackOptions options = stack.stackOptions(home, work, storeProperties);
    ScaleBench.Result result;
    try (LocalStack local = LocalStack.start(options, line -> log.println("· " + line))) {
      Runtime.getRuntime().addShutdownHook(new Thread(local::close, "stack-shutdown"));
      new StudyRun(
              SchedulerClient.of(local.url(LocalStack.SCHEDULER), null),
              StoreClient.of(local.url(LocalStack.STORE), null))
          .cancelLeftovers(line -> log.println("· " + line));
      ScaleBench bench =
          new ScaleBench(
              local.url(LocalStack.SCHEDULER),
              local.url(LocalStack.STORE),
              local.url(LocalStack.SAMPLER),
              local.bootstrapServers(),
              work,
              line -> log.println("· " + line));
      result = bench.run(benchOptions(sizes), stack.db());
    }
    if (png != null) {
      chart(png, result);
    }
    ScaleBench.Result r = result;
    stack.print(r, out -> print(out, r));
    return 0;
  }

  private void validate() {
    if (!scheduler.equals("none") && !scheduler.equals("asha")) {
      throw new UserException("--scheduler must be none or asha, got '" + scheduler + "'");
    }
    if (workers == null || workers.length == 0 || Arrays.stream(workers).anyMatch(n -> n < 1)) {
      throw new UserException("--workers must list fleet sizes of at least 1");
    }
    if (epochs < 1 || epochSeconds <= 0 || trials < 0) {
      throw new UserException("--epochs must be ≥ 1, --epoch-seconds > 0, --trials ≥ 0");
    }
  }

  private void checkStoreProperties() {
    for (String key : storeProperties.keySet()) {
      if (!key.startsWith("sharpsweep.store.") && !key.startsWith("mp.messaging.")) {
        throw new UserException(
            "--store-property takes sharpsweep.store.* or mp.messaging.* keys, got '" + key + "'");
      }
    }
  }

  private ScaleBench.Options benchOptions(int[] sizes) {
    return new ScaleBench.Options(
        Arrays.stream(sizes).boxed().toList(),
        trials,
        parallelism,
        epochs,
        epochSeconds,
        scheduler,
        sampler,
        probeSampler,
        leaseWait,
        Duration.ofMillis(Math.round(leaseAhead * 1000)),
        warmUp,
        stack.timeout());
  }

  public static void print(PrintStream out, ScaleBench.Result r) {
    printHeader(out, r);
    for (ScaleBench.Run x : r.runs()) {
      printRun(out, x);
    }
    out.println("growth with N (ratio to N=" + r.runs().get(0).workers() + "):");
    r.growth()
        .forEach(
            (k, v) ->
                out.printf(
                    Locale.ROOT,
                    "  %-20s %s%n",
                    k,
                    String.join(
                        "  ",
                        v.stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList())));
    out.println(
        "idle: share of the fleet's worker-seconds without a lease; idle+q: the share idle while a"
            + " segment was queued (sampled every 0.2 s).");
  }

  /** The run's settings, then the table's column heads. */
  private static void printHeader(PrintStream out, ScaleBench.Result r) {
    out.printf(
        Locale.ROOT,
        "bench-scale on %s, scheduler %s, %d cores, lease ahead %.1f s, warm-up %s; ideal = %s%n",
        r.database(),
        r.scheduler(),
        r.cores(),
        r.leaseAheadSeconds(),
        r.warmedUp() ? "run" : "off",
        r.idealRule());
    out.printf(
        Locale.ROOT,
        "%6s %6s %7s %8s %9s %7s %7s %15s %15s %15s %15s %6s%n",
        "N",
        "trials",
        "ideal s",
        "makespan",
        "×ideal",
        "idle",
        "idle+q",
        "dispatch p50/99",
        "decision p50/99",
        "suggest p50/99",
        "report ack p50",
        "once");
  }

  /** One fleet size's row, its overhead line and its error if any. */
  private static void printRun(PrintStream out, ScaleBench.Run x) {
    out.printf(
        Locale.ROOT,
        "%6d %6d %7.1f %8.1f %9.3f %6.1f%% %6.2f%% %15s %15s %15s %15s %6s%n",
        x.workers(),
        x.trials(),
        x.idealSeconds(),
        x.makespanSeconds(),
        x.makespanOverIdeal(),
        100 * x.idleFraction(),
        100 * x.idleWhileQueuedFraction(),
        ms(x.dispatch()),
        ms(x.reportToDecision()),
        ms(x.suggest()),
        String.format(Locale.ROOT, "%.0f ms", x.reportAck().p50Ms()),
        x.everyEpochStoredOnce() ? "yes" : "NO");
    out.printf(
        Locale.ROOT,
        "%6s first lease p50 %.2f s (%.0f%% of the excess), last report's way %.2f s (%.0f%%),"
            + " steady state ×%.3f; %d segments started ahead, idle while held ahead %.2f%%%n",
        "",
        x.overhead().firstLeaseSeconds(),
        100 * x.overhead().firstLeaseShare(),
        x.overhead().lastReportSeconds(),
        100 * x.overhead().lastReportShare(),
        x.overhead().steadyStateOverIdeal(),
        x.segmentsStartedAhead(),
        100 * x.idleWhileHeldAheadFraction());
    if (x.error() != null) {
      out.printf(Locale.ROOT, "%6s %s%n", "", x.error());
    }
  }

  private static String ms(ScaleBench.Latency l) {
    return l.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f/%.0f ms", l.p50Ms(), l.p99Ms());
  }

  public static void chart(Path file, ScaleBench.Result r) throws IOException {
    int[] ns = r.runs().stream().mapToInt(ScaleBench.Run::workers).toArray();
    ScaleChart.write(
        file,
        "bench-scale: "
            + r.database()
            + ", scheduler "
            + r.scheduler()
            + ", "
            + r.cores()
            + " cores",
        ns,
        List.of(
            new ScaleChart.Panel(
                "makespan / ideal, idle fraction",
                "ratio, fraction",
                false,
                List.of(
                    series(r, "makespan / ideal", ScaleBench.Run::makespanOverIdeal),
                    series(r, "idle fraction", ScaleBench.Run::idleFraction),
                    series(r, "idle while queued", ScaleBench.Run::idleWhileQueuedFraction))),
            new ScaleChart.Panel(
                "latencies",
                "milliseconds (log scale)",
                true,
                List.of(
                    series(r, "dispatch p50", x -> x.dispatch().p50Ms()),
                    series(r, "dispatch p99", x -> x.dispatch().p99Ms()),
                    series(r, "report → decision p50", x -> x.reportToDecision().p50Ms()),
                    series(r, "report → decision p99", x -> x.reportToDecision().p99Ms()),
                    series(r, "suggest p50", x -> x.suggest().p50Ms()),
                    series(r, "suggest p99", x -> x.suggest().p99Ms())))));
  }

  private static ScaleChart.Series series(
      ScaleBench.Result r, String name, ToDoubleFunction<ScaleBench.Run> f) {
    return new ScaleChart.Series(name, r.runs().stream().mapToDouble(f).toArray());
  }
}
