package io.sharpsweep.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeededInitializerTest {
  private static final Shape SAMPLE = new Shape(1, 28, 28);

  private static float[][] initialWeights(long seed, NDManager manager) {
    Block block = ModelCatalog.forName("mlp").build(SAMPLE, 10);
    // Different engine RNG state each time: the weights must not depend on it.
    TorchRuntime.engine().setRandomSeed((int) (System.nanoTime() & 0x7fffffff));
    block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(SAMPLE));
    SeededInitializer.initialise(block, seed);
    return block.getParameters().stream()
        .map(p -> p.getValue().getArray().toFloatArray())
        .toArray(float[][]::new);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      float[][] a = initialWeights(7, m);
      float[][] b = initialWeights(7, m);
      float[][] c = initialWeights(8, m);
      assertThat(a).isDeepEqualTo(b);
      assertThat(a[0]).isNotEqualTo(c[0]);
    }
  }

  @Test
  void mlpHasPyTorchShapesAndDefaultBounds() {
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      Block block = new Mlp().build(SAMPLE, 10);
      block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
      SeededInitializer.initialise(block, 1);
      List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
      assertThat(params)
          .extracting(p -> p.getValue().getArray().getShape())
          .containsExactly(
              new Shape(256, 784),
              new Shape(256),
              new Shape(128, 256),
              new Shape(128),
              new Shape(10, 128),
              new Shape(10));
      long total = params.stream().mapToLong(p -> p.getValue().getArray().size()).sum();
      assertThat(total).isEqualTo(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
      // U(−1/√fan_in, 1/√fan_in): layer 1 fan_in 784, bias of layer 3 fan_in 128.
      float bound1 = (float) (1 / Math.sqrt(784));
      assertThat(params.get(0).getValue().getArray().abs().max().getFloat())
          .isLessThanOrEqualTo(bound1)
          .isGreaterThan(0.99f * bound1);
      assertThat(params.get(1).getValue().getArray().abs().max().getFloat())
          .isLessThanOrEqualTo(bound1);
      float bound3 = (float) (1 / Math.sqrt(128));
      assertThat(params.get(5).getValue().getArray().abs().max().getFloat())
          .isLessThanOrEqualTo(bound3)
          .isGreaterThan(0.5f * bound3);
    }
  }

  @Test
  void catalogNamesUnavailableAndUnknownModels() {
    assertThat(ModelCatalog.available())
        .containsExactly("cnn-small", "mlp", "resnet18", "wrn-16-4", "wrn-16-8", "wrn-28-10");
    assertThatThrownBy(() -> ModelCatalog.forName("vgg"))
        .isInstanceOf(ModelUnavailableException.class);
    assertThatThrownBy(() -> ModelCatalog.forName("vgg")).hasMessageContaining("'vgg' is unknown");
  }
}
