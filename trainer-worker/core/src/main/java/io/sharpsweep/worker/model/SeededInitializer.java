package io.sharpsweep.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sharpsweep.worker.data.EpochOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Re-initialises a block's weights and biases from a Java RNG seeded by the trial seed, with
 * PyTorch's defaults for {@code nn.Linear}/{@code nn.Conv2d} ({@code kaiming_uniform(a=√5)}, i.e.
 * U(−1/√fan_in, 1/√fan_in) for weights and for the biases of the same layer). Independent of the
 * engine's RNG, so the same seed gives the same initial weights on every engine, thread count and
 * device. Batch-norm γ/β and running statistics keep DJL's constant initialisation (1, 0, 0, 1).
 */
public final class SeededInitializer {
  private static final long INIT_STREAM = 0x1417L;

  private SeededInitializer() {}

  public static void initialise(Block block, long seed) {
    SplittableRandom rng = new SplittableRandom(EpochOrder.mix(seed, INIT_STREAM));
    Map<String, Long> fanIn = new HashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().getType() == Parameter.Type.WEIGHT) {
        Shape s = p.getValue().getArray().getShape();
        fanIn.put(layerOf(p.getKey()), s.size() / s.get(0));
      }
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter.Type type = p.getValue().getType();
      if (type != Parameter.Type.WEIGHT && type != Parameter.Type.BIAS) {
        continue;
      }
      Long fan = fanIn.get(layerOf(p.getKey()));
      if (fan == null || fan <= 0) {
        throw new IllegalStateException("no weight found for the bias " + p.getKey());
      }
      fillUniform(p.getValue().getArray(), 1.0 / Math.sqrt(fan), rng);
    }
  }

  private static String layerOf(String parameterName) {
    int cut = parameterName.lastIndexOf('_');
    return cut < 0 ? parameterName : parameterName.substring(0, cut);
  }

  private static void fillUniform(NDArray target, double bound, SplittableRandom rng) {
    int n = Math.toIntExact(target.size());
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    try (NDManager tmp = target.getManager().newSubManager()) {
      target.set(new NDIndex("..."), tmp.create(values, target.getShape()));
    }
  }
}
