package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.bench.IngestBench;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep bench-ingest}: the results-store's ingestion at saturation. Starts the embedded
 * KRaft broker and the results-store only (as processes, the packaged store), creates one running
 * study over the store's control API and floods it with epoch reports from P producer threads
 * ({@link IngestBench}). Downloads nothing.
 */
@Command(
    name = "bench-ingest",
    mixinStandardHelpOptions = true,
    description =
        "Flood the results-store with trials × epochs epoch reports from P Kafka producers (real broker and store; one running study created over the control API): reports/s sustained (first to last stored), p50/p99 publish → visible over REST, decisions published, and whether every report was stored exactly once.")
public class BenchIngestCommand implements Callable<Integer> {
  @Mixin
  BenchStackOptions stack = new BenchStackOptions("bench-ingest", "h2", 600, "bench_ingest", true);

  @Option(
      names = "--producers",
      defaultValue = "8",
      description =
          "Producer threads, each with its own Kafka producer (default: ${DEFAULT-VALUE}).")
  int producers;

  @Option(
      names = "--trials",
      defaultValue = "1000",
      description = "Trials of the study, 1 to 1024 (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(
      names = "--epochs",
      defaultValue = "100",
      description = "Epochs per trial, one report each (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--samples",
      defaultValue = "500",
      description =
          "About how many reports the latency probe follows to their appearance on the trial's curve (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--warm-up-trials",
      defaultValue = "200",
      description =
          "Trials of a warm-up study flooded first (the same epochs and producers), not counted: it warms the store's JIT and connections (0: none; default: ${DEFAULT-VALUE}).")
  int warmUpTrials;

  @Override
  public Integer call() throws Exception {
    stack.check();
    if (producers < 1
        || trials < 1
        || trials > 1024
        || epochs < 1
        || epochs > 10_000
        || warmUpTrials < 0) {
      throw new UserException(
          "--producers must be ≥ 1, --trials in [1, 1024] (a study's parallelism), --epochs in [1, 10000], --warm-up-trials ≥ 0");
    }
    Path home = Endpoints.home();
    Path work = stack.workDir(home, "store");
    PrintStream log = stack.log();
    StackOptions options = stack.stackOptions(home, work);
    IngestBench.Result result;
    try (LocalStack local = LocalStack.startStoreOnly(options, line -> log.println("· " + line))) {
      Runtime.getRuntime().addShutdownHook(new Thread(local::close, "stack-shutdown"));
      IngestBench bench =
          new IngestBench(
              local.url(LocalStack.STORE),
              local.bootstrapServers(),
              line -> log.println("· " + line));
      IngestBench.Result warmUp = null;
      if (warmUpTrials > 0) {
        log.println("· warm-up, not counted:");
        warmUp =
            bench.run(
                new IngestBench.Options(
                    producers,
                    Math.min(warmUpTrials, trials),
                    epochs,
                    Math.min(samples, 50),
                    stack.timeout(),
                    stack.db()));
      }
      result =
          bench.run(
              new IngestBench.Options(
                  producers, trials, epochs, samples, stack.timeout(), stack.db()));
      if (warmUp != null) {
        result = result.afterWarmUp(warmUp);
      }
    }
    IngestBench.Result r = result;
    stack.print(r, out -> print(out, r));
    return result.error() == null && result.everyReportStoredOnce() ? 0 : 1;
  }

  public static void print(PrintStream out, IngestBench.Result r) {
    out.printf(
        Locale.ROOT,
        "bench-ingest on %s, %d cores: %d producers, %d trials × %d epochs = %d reports%n",
        r.database(),
        r.cores(),
        r.producers(),
        r.trials(),
        r.epochs(),
        r.reports());
    if (r.warmUpReports() > 0) {
      out.printf(
          Locale.ROOT,
          "  after a warm-up study, not counted: %d reports stored at %.0f reports/s%n",
          r.warmUpReports(),
          r.warmUpReportsPerSecond());
    }
    out.printf(
        Locale.ROOT,
        "  published in %.1f s (%.0f reports/s)%n",
        r.publishSeconds(),
        r.publishedPerSecond());
    out.printf(
        Locale.ROOT,
        "  stored %d in %.1f s, first to last: %.0f reports/s sustained%n",
        r.reportsStored(),
        r.storeSeconds(),
        r.reportsPerSecond());
    out.printf(
        Locale.ROOT,
        "  publish → visible over REST (%d samples): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        r.publishToVisible().count(),
        r.publishToVisible().p50Ms(),
        r.publishToVisible().p99Ms(),
        r.publishToVisible().maxMs());
    out.printf(
        Locale.ROOT,
        "  decisions published %d of %d; study %s; every report stored exactly once: %s%n",
        r.decisionsPublished(),
        r.decisionsExpected(),
        r.studyState(),
        r.everyReportStoredOnce() ? "yes" : "NO");
    if (r.error() != null) {
      out.println("  " + r.error());
    }
  }
}
