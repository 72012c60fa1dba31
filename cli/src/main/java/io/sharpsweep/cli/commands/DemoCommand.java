package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.cli.stack.LocalStack;
import io.sharpsweep.cli.stack.LocalStack.StackOptions;
import io.sharpsweep.protocol.api.BestAnswer;
import io.sharpsweep.protocol.api.BestTrial;
import io.sharpsweep.protocol.api.SchedulerClient;
import io.sharpsweep.protocol.api.StoreClient;
import io.sharpsweep.protocol.messages.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep demo}: the local stack, a real study on Fashion-MNIST, live progress, the best
 * configuration.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start the local stack (Kafka, results-store on H2, sampler, scheduler, workers), run a real study on Fashion-MNIST, show its progress and print the best configuration.")
public class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--quick",
      description =
          "A small study (16 configurations × 4 epochs, SGD, SAM, ESAM, LookSAM, AE-SAM) that finishes in a few minutes on 2 cores.")
  boolean quick;

  @Option(
      names = "--study",
      paramLabel = "FILE",
      description = "Run this study file (YAML or JSON) instead of the built-in one.")
  Path studyFile;

  @Mixin LocalStackOptions launch;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Logs, checkpoints and the H2 database (default: .sharpsweep/demo in the repository).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Path home = Endpoints.home();
    launch.check();
    requireDataset(launch.data());
    String spec =
        studyFile != null
            ? Files.readString(studyFile)
            : resource(
                quick ? "/io/sharpsweep/cli/demo/quick.yaml" : "/io/sharpsweep/cli/demo/full.yaml");
    Path work =
        (workDir != null ? workDir : home.resolve(".sharpsweep").resolve("demo")).toAbsolutePath();
    Files.createDirectories(work);

    Instant started = Instant.now();
    StackOptions options = launch.stackOptions(home, work, Map.of());
    try (LocalStack stack = LocalStack.start(options, line -> out.println("· " + line))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stack-shutdown"));
      out.println(
          "· stack ready in "
              + ProgressView.clock(Duration.between(started, Instant.now()))
              + " (logs in "
              + work.resolve("logs")
              + ")");
      StoreClient store = StoreClient.of(stack.url("results-store"), null);
      StudyRun run = new StudyRun(SchedulerClient.of(stack.url("scheduler"), null), store);
      run.cancelLeftovers(line -> out.println("· " + line));
      String id = run.create(spec);
      out.println("· study " + id + " created; training…");
      BestAnswer best =
          run.follow(id, new ProgressView(out, System.console() != null), Duration.ofHours(6));
      out.println();
      printBest(out, id, best == null ? null : best.best());
      out.println();
      ParetoCommand.print(out, id, store.pareto(id, "sgd_epoch_equivalents", "val_accuracy"));
      out.println(
          "Finished in " + ProgressView.clock(Duration.between(started, Instant.now())) + ".");
    }
    return 0;
  }

  static void requireDataset(Path data) {
    boolean present =
        Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz"))
            || Files.isRegularFile(data.resolve("train-images-idx3-ubyte"));
    if (!present) {
      throw new UserException(
          "Fashion-MNIST is not in "
              + data
              + ": install it with `apt-get install dataset-fashion-mnist` or pass --data DIR");
    }
  }

  static void printBest(PrintStream out, String studyId, BestTrial best) {
    if (best == null) {
      out.println("No trial of study " + studyId + " completed.");
      return;
    }
    out.println("Best configuration of study " + studyId + " (trial " + best.trialId() + "):");
    if (best.params() != null) {
      best.params()
          .forEach(
              (name, value) ->
                  out.printf(
                      Locale.ROOT,
                      "  %-14s %s%n",
                      name,
                      value instanceof Number n ? formatNumber(n.doubleValue()) : value));
    }
    Metrics m = best.metrics() == null ? new Metrics(null, null, null, null) : best.metrics();
    out.printf(
        Locale.ROOT,
        "  validation accuracy %.4f, validation loss %.4f%s%n",
        orZero(m.valAccuracy()),
        orZero(m.valLoss()),
        m.testAccuracy() != null
            ? String.format(Locale.ROOT, ", test accuracy %.4f", m.testAccuracy())
            : "");
    out.printf(
        Locale.ROOT,
        "  cost: %.2f SGD-epoch equivalents, %.1f s of training, after %d epochs%n",
        best.cost() == null ? 0.0 : best.cost().sgdEpochEquivalents(),
        best.cost() == null ? 0.0 : best.cost().wallSeconds(),
        best.epoch());
  }

  private static double orZero(Double v) {
    return v == null ? 0.0 : v;
  }

  static String formatNumber(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.valueOf((long) v);
    }
    return Math.abs(v) < 1e-3
        ? String.format(Locale.ROOT, "%.3e", v)
        : String.format(Locale.ROOT, "%.5g", v);
  }

  static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
