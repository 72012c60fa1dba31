package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.bench.LargeStudyBench;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep bench-large-study}: the read side on one large study. Starts the local stack
 * without trainer-workers (broker, results-store, sampler as processes; the scheduler is stopped,
 * the bench takes its part), creates a study of {@code --trials} trials through the store's control
 * API, sends {@code --trials × --epochs} reports through Kafka, and once the store holds them all
 * times {@code best}, {@code pareto}, a page of trials, a curve, the study and the study list over
 * REST, then the dashboard in headless Chromium.
 */
@Command(
    name = "bench-large-study",
    mixinStandardHelpOptions = true,
    description =
        "Measure reads of one large study (reports sent through Kafka and the store's ingestion): p50/p99/max of best, pareto, a page of trials, a curve and the study over REST, and the dashboard's time to its table, charts, next page and a curve in headless Chromium.")
public class BenchLargeStudyCommand implements Callable<Integer> {
  @Mixin
  BenchStackOptions stack =
      new BenchStackOptions("bench-large-study", "postgresql", 3600, "bench_large", true);

  @Option(
      names = "--trials",
      defaultValue = "10000",
      description = "Trials of the study (default: ${DEFAULT-VALUE}).")
  int trials;

  @Option(
      names = "--epochs",
      defaultValue = "100",
      description = "Epochs per trial, one report each (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--calls",
      defaultValue = "100",
      description = "Timed calls per endpoint, after 5 warm-up calls (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(
      names = "--page-size",
      defaultValue = "100",
      description = "limit of the timed trial pages (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--producers",
      defaultValue = "4",
      description = "Kafka producers sending the reports in parallel (default: ${DEFAULT-VALUE}).")
  int producers;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the parameters and learning curves (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--no-browser",
      description = "Skip the dashboard measurement (no Chromium needed).")
  boolean noBrowser;

  @Option(
      names = "--chromium",
      defaultValue = "/usr/bin/chromium",
      description = "Chromium binary (default: ${DEFAULT-VALUE}).")
  Path chromium;

  @Option(
      names = "--chromedriver",
      defaultValue = "/usr/bin/chromedriver",
      description = "chromedriver binary (default: ${DEFAULT-VALUE}).")
  Path chromedriver;

  @Override
  public Integer call() throws Exception {
    stack.check();
    if (trials < 2 || epochs < 1 || calls < 1 || pageSize < 1 || pageSize > 1000 || producers < 1) {
      throw new UserException(
          "--trials must be ≥ 2, --epochs ≥ 1, --calls ≥ 1, --page-size 1…1000, --producers ≥ 1");
    }
    if (!noBrowser && (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver))) {
      throw new UserException(
          "Chromium or chromedriver is missing ("
              + chromium
              + ", "
              + chromedriver
              + "): apt-get install chromium chromium-driver, or pass --no-browser");
    }
    Path home = Endpoints.home();
    // a fresh store and broker each run: reports left in the topic by an interrupted run would be
    // ingested before this run's
    Path work = stack.workDir(home, "store", "kafka", "broker.ports");
    PrintStream log = stack.log();
    StackOptions options = stack.stackOptions(home, work);
    LargeStudyBench.Result result;
    try (LocalStack local = LocalStack.start(options, line -> log.println("· " + line))) {
      Runtime.getRuntime().addShutdownHook(new Thread(local::close, "stack-shutdown"));
      // The bench creates the study's trials itself, through the control API as the scheduler
      // does; a running scheduler would create them too (and ask the sampler for them).
      log.println("· stopping the scheduler: the bench creates the trials");
      local.process(LocalStack.SCHEDULER).stop(20);
      LargeStudyBench bench =
          new LargeStudyBench(
              local.url(LocalStack.STORE),
              local.bootstrapServers(),
              line -> log.println("· " + line));
      result =
          bench.run(
              new LargeStudyBench.Options(
                  trials,
                  epochs,
                  calls,
                  pageSize,
                  producers,
                  seed,
                  stack.timeout(),
                  chromium,
                  chromedriver,
                  !noBrowser),
              stack.db());
    }
    LargeStudyBench.Result r = result;
    stack.print(r, out -> print(out, r));
    return 0;
  }

  static void print(PrintStream out, LargeStudyBench.Result r) {
    out.printf(
        Locale.ROOT,
        "bench-large-study on %s, %d cores: %d trials × %d epochs = %d reports, ingested in %.0f s (%.0f/s)%n",
        r.database(),
        r.cores(),
        r.trials(),
        r.epochs(),
        r.reportsStored(),
        r.ingestSeconds(),
        r.ingestReportsPerSecond());
    out.printf(
        Locale.ROOT, "%-22s %9s %9s %9s %10s%n", "endpoint", "p50 ms", "p99 ms", "max ms", "bytes");
    r.endpoints()
        .forEach(
            (k, v) ->
                out.printf(
                    Locale.ROOT,
                    "%-22s %9.1f %9.1f %9.1f %10d%n",
                    k,
                    v.p50Ms(),
                    v.p99Ms(),
                    v.maxMs(),
                    v.bytesLast()));
    LargeStudyBench.Browser b = r.dashboard();
    if (b != null) {
      out.printf(
          Locale.ROOT,
          "dashboard: table %.0f ms, charts %.0f ms after opening (%d rows, %d curves, %d front points);"
              + " next page %.0f ms, a trial's curve %.0f ms after a click%s%n",
          b.openToTableMs(),
          b.openToChartsMs(),
          b.rowsShown(),
          b.curvesDrawn(),
          b.frontPoints(),
          b.nextPageMs(),
          b.selectCurveMs(),
          b.error() == null ? "" : " (" + b.error() + ")");
    }
  }
}
