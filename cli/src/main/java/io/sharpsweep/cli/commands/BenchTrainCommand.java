package io.sharpsweep.cli.commands;

import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.bench.VariantBenchmark;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.data.DatasetException;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.FashionMnist;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.model.ModelUnavailableException;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import io.sharpsweep.worker.sam.Variants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep bench-train}: the step time of every variant on the same model, batch and data,
 * interleaved, against SGD.
 */
@Command(
    name = "bench-train",
    mixinStandardHelpOptions = true,
    description =
        "Time the training step of every variant on the same model, batch size and data in one run (rounds of a few steps per variant, rotating order, so machine drift hits all alike); print each variant's median step time and its ratio to SGD's.")
public class BenchTrainCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "cnn",
      description =
          "mlp, cnn (= cnn-small) or another model of the catalog (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--batch-size",
      defaultValue = "128",
      description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--steps",
      defaultValue = "60",
      description = "Timed steps per variant (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "Untimed steps per variant first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--round",
      defaultValue = "5",
      description = "Steps per variant per round (default: ${DEFAULT-VALUE}).")
  int round;

  @Option(
      names = "--variants",
      split = ",",
      description = "Variants to time (default: all; sgd is always included).")
  List<String> variants;

  @Mixin TrainingKnobs knobs;

  @Option(
      names = "--dataset",
      description = "Data to step on (default: fashion-mnist if installed, else synthetic).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", description = "Directory with the dataset's files.")
  Path data;

  @Option(
      names = "--threads",
      description = "PyTorch intra-op threads (default: available processors).")
  Integer threads;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Initial weights and batch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    TrainCommand.quietEngineLogs();
    String modelName = model.equals("cnn") ? "cnn-small" : model;
    Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
    List<String> names = variants == null ? List.copyOf(Variants.names()) : variants;
    configs.put("sgd", knobs.config("sgd", null));
    for (String v : names) {
      configs.put(v, knobs.config(v, null));
    }
    TorchRuntime.initialise(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    VariantBenchmark.Result r;
    try {
      r =
          VariantBenchmark.run(
              new VariantBenchmark.Request(
                  modelName, batchSize, steps, warmup, round, datasetSpec(), configs, seed),
              new DatasetLoader(FashionMnist.DEFAULT_DIR));
    } catch (InvalidConfigException
        | DatasetException
        | ModelUnavailableException
        | TrainingDivergedException
        | IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
    if (json) {
      System.out.println(Json.encodeToString(asJson(r)));
    } else {
      printTable(modelName, r);
    }
    return 0;
  }

  /**
   * The dataset: {@code --dataset}, else Fashion-MNIST where its directory is, else synthetic;
   * enough examples for distinct batches over the run, without decoding a whole large dataset.
   */
  private DatasetSpec datasetSpec() {
    String ds =
        dataset != null
            ? dataset
            : Files.isDirectory(data != null ? data : FashionMnist.DEFAULT_DIR)
                ? "fashion-mnist"
                : "synthetic";
    int examples =
        Math.max(batchSize * 2, Math.min(60_000, batchSize * (warmup + steps) + batchSize));
    return new DatasetSpec(
        ds,
        data == null ? null : data.toString(),
        0.05,
        null,
        ds.equals("synthetic") ? examples : Math.min(examples, 60_000),
        100);
  }

  private Map<String, Object> asJson(VariantBenchmark.Result r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", model);
    out.put("batchSize", batchSize);
    out.put("steps", steps);
    out.put("dataset", r.dataset());
    out.put("intraOpThreads", r.intraOpThreads());
    Map<String, Object> vs = new LinkedHashMap<>();
    r.variants()
        .forEach(
            (name, t) -> {
              Map<String, Object> v = new LinkedHashMap<>();
              v.put("stepMillisMedian", t.stepMillisMedian());
              v.put("ratioToSgd", t.ratioToSgd());
              v.put("samStepFraction", t.samStepFraction());
              v.put("stepMillisMean", t.stepMillisMean());
              v.put("stepMillisP25", t.stepMillisQuartiles()[0]);
              v.put("stepMillisP75", t.stepMillisQuartiles()[1]);
              vs.put(name, v);
            });
    out.put("variants", vs);
    return out;
  }

  private void printTable(String modelName, VariantBenchmark.Result r) {
    System.out.printf(
        Locale.ROOT,
        "%s, batch %d, %s, %d intra-op threads: median of %d steps per variant (after %d warm-up), interleaved%n",
        modelName,
        batchSize,
        r.dataset(),
        r.intraOpThreads(),
        steps,
        warmup);
    System.out.printf(
        Locale.ROOT,
        "  %-11s %10s %9s %13s %8s %9s%n",
        "variant",
        "ms/step",
        "mean",
        "p25-p75",
        "× SGD",
        "SAM frac");
    r.variants()
        .forEach(
            (name, t) ->
                System.out.printf(
                    Locale.ROOT,
                    "  %-11s %10.2f %9.2f %6.1f-%-6.1f %8.3f %9.3f%n",
                    name,
                    t.stepMillisMedian(),
                    t.stepMillisMean(),
                    t.stepMillisQuartiles()[0],
                    t.stepMillisQuartiles()[1],
                    t.ratioToSgd(),
                    t.samStepFraction()));
    System.out.println(
        "  (ms/step: the median of SAM steps and of ERM steps, weighted by the SAM fraction)");
  }
}
