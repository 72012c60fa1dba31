package io.sharpsweep.cli.commands;

import ai.djl.ndarray.types.DataType;
import io.sharpsweep.cli.SharpSweep.UserException;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.replay.NpzException;
import io.sharpsweep.worker.replay.Replay;
import io.sharpsweep.worker.sam.TrainingDivergedException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sharpsweep replay}: exactly K steps of a variant on the 784-256-128-10 MLP from given
 * weights and batches.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Run exactly K steps of a variant on the 784-256-128-10 ReLU MLP from given weights and batches (no shuffling, no randomness but ESAM's seeded mask; constant lr; AE-SAM's T = K) and write the final weights, to check the implementation against another one.",
      "--params/--out: .npz with fc1.weight [256,784], fc1.bias [256], fc2.weight [128,256], fc2.bias, fc3.weight [10,128], fc3.bias (PyTorch layout, float32 or float64). --batches: .npz with x [K,B,784] and y [K,B] (int64)."
    })
public class ReplayCommand implements Callable<Integer> {
  @Option(
      names = "--variant",
      required = true,
      description = "sgd, sam, asam, esam, ae-sam, looksam, ae-looksam, msam, rst, sam-k.")
  String variant;

  @Mixin TrainingKnobs knobs;

  @Option(names = "--params", required = true, paramLabel = "NPZ", description = "Initial weights.")
  Path params;

  @Option(
      names = "--batches",
      required = true,
      paramLabel = "NPZ",
      description = "The batches x [K,B,784] and y [K,B].")
  Path batches;

  @Option(
      names = "--steps",
      required = true,
      paramLabel = "K",
      description = "Steps to run (the first K batches).")
  int steps;

  @Option(
      names = "--dtype",
      defaultValue = "float32",
      description =
          "float32 or float64: the precision of every tensor of the computation (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of ESAM's weight mask and RST's decisions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "NPZ",
      description = "Where to write the final weights.")
  Path out;

  @Option(
      names = "--threads",
      description = "PyTorch intra-op threads (default: available processors).")
  Integer threads;

  @Option(names = "--json", description = "Print the run's summary as JSON.")
  boolean json;

  @Override
  public Integer call() {
    TrainCommand.quietEngineLogs();
    DataType type =
        switch (dtype) {
          case "float32" -> DataType.FLOAT32;
          case "float64" -> DataType.FLOAT64;
          default ->
              throw new UserException("--dtype must be float32 or float64, got '" + dtype + "'");
        };
    if (steps < 1) {
      throw new UserException("--steps must be >= 1, got " + steps);
    }
    TorchRuntime.initialise(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    Replay.Result r;
    try {
      r =
          Replay.run(
              new Replay.Request(
                  variant, knobs.config(null, null), params, batches, steps, type, seed, out));
    } catch (InvalidConfigException | NpzException | TrainingDivergedException e) {
      throw new UserException(e.getMessage());
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("variant", variant);
      m.put("steps", r.steps());
      m.put("samSteps", r.samSteps());
      m.put("losses", r.losses());
      m.put("out", out.toString());
      System.out.println(Json.encodeToString(m));
    } else {
      System.out.printf(
          Locale.ROOT,
          "%s: %d steps (%d SAM steps) in %s, loss %.6f → %.6f; final weights in %s%n",
          variant,
          r.steps(),
          r.samSteps(),
          dtype,
          r.losses().get(0),
          r.losses().get(r.losses().size() - 1),
          out);
    }
    return 0;
  }
}
