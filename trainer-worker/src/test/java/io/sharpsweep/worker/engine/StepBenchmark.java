package io.sharpsweep.worker.engine;

import ai.djl.ndarray.NDManager;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.study.DatasetSpec;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the training step of a model through the real trainer (data gather, forward, backward,
 * optimizer, per-step manager): runs {@code epochs} epochs of {@code train} examples and prints the
 * per-epoch ms/iteration as JSON (median of the epochs after the first). Not a test; run it from
 * the module directory with {@code java -cp target/classes:target/test-classes:$(cat
 * target/bench.cp) io.sharpsweep.worker.engine.StepBenchmark [model] [batch] [threads] [train]
 * [epochs]}.
 */
public final class StepBenchmark {
  public static void main(String[] args) throws Exception {
    String model = args.length > 0 ? args[0] : "mlp";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int threads =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    int train = args.length > 3 ? Integer.parseInt(args[3]) : 12800;
    int epochs = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    TorchRuntime.initialise(threads);
    String dataset = Files.isDirectory(FashionMnist.DEFAULT_DIR) ? "fashion-mnist" : "synthetic";
    Path dir = Files.createTempDirectory("sharpsweep-bench");
    List<Double> ms = new ArrayList<>();
    try (NDManager root = TorchRuntime.engine().newBaseManager();
        DatasetCache cache = new DatasetCache(new DatasetLoader(FashionMnist.DEFAULT_DIR), root)) {
      SegmentTrainer trainer = new SegmentTrainer(new TrainerSettings("bench", 1000, true), cache);
      DatasetSpec spec = new DatasetSpec(dataset, null, 0.1, null, train, 1000);
      SegmentAssignment a =
          new SegmentAssignment(
              SchemaVersion.CURRENT,
              "bench",
              "bench",
              0,
              Map.of("batch-size", batch),
              0,
              epochs,
              epochs,
              null,
              spec,
              model,
              1L);
      trainer.train(a, new CheckpointStore(dir), (r, s) -> ms.add(s.millisPerIteration()));
    }
    List<Double> steady = new ArrayList<>(ms.subList(Math.min(1, ms.size() - 1), ms.size()));
    Collections.sort(steady);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", model);
    out.put("dataset", dataset);
    out.put("batchSize", batch);
    out.put("intraOpThreads", TorchRuntime.intraOpThreads());
    out.put("interOpThreads", TorchRuntime.interOpThreads());
    out.put("msPerIterationByEpoch", ms);
    out.put("medianMsPerIteration", steady.get(steady.size() / 2));
    System.out.println(Json.encodeToString(out));
  }
}
