package io.sharpsweep.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.engine.CostCounters;
import io.sharpsweep.worker.engine.DjlTrainingContext;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.optim.SgdSettings;
import io.sharpsweep.worker.sam.Sam;
import io.sharpsweep.worker.sam.StepStats;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The networks for GPU nodes are checked here for their size, output shape and one SAM step (small
 * inputs: the global average pooling makes them independent of the image size).
 */
class ModelsTest {

  private static long trainableParameters(Block block) {
    long n = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        n += p.getValue().getArray().size();
      }
    }
    return n;
  }

  /** Parameter counts of the reference PyTorch models for 10 classes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "cnn-small, 1, 28, 421738",
    "resnet18, 3, 32, 11173962",
    "wrn-16-4, 3, 32, 2748890",
    "wrn-16-8, 3, 32, 10961370",
    "wrn-28-10, 3, 32, 36479194"
  })
  void sizeShapeAndOneSamStep(String name, int channels, int side, long parameters) {
    TorchRuntime.gradientRecordingOffOnThisThread();
    ModelArchitecture model = ModelCatalog.forName(name);
    assertThat(model.name()).isEqualTo(name);
    Shape sample = new Shape(channels, side, side);
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      Block block = model.build(sample, 10);
      block.initialize(m, DataType.FLOAT32, new Shape(1).addAll(sample));
      SeededInitializer.initialise(block, 1);
      assertThat(trainableParameters(block)).isEqualTo(parameters);

      // One SAM step at a small resolution (8×8 for the CIFAR networks) with batch 2.
      int small = channels == 1 ? side : 8;
      try (NDManager step = m.newSubManager()) {
        NDArray x = step.randomNormal(new Shape(2, channels, small, small));
        NDArray logits =
            block.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
        assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
      }
      SgdOptimizer sgd =
          new SgdOptimizer(
              new SgdSettings(0.05, 0.9, 0, false, 5e-4), LearningRateSchedule.constant(0.05), m);
      DjlTrainingContext ctx =
          new DjlTrainingContext(TorchRuntime.engine(), block, sgd, new CostCounters(), 1, m);
      List<Parameter> trainable = ctx.parameters();
      float[] before = trainable.get(0).getArray().toFloatArray();
      StepStats stats;
      try (NDManager step = m.newSubManager()) {
        NDArray x = step.randomNormal(new Shape(2, channels, small, small));
        NDArray y = step.create(new long[] {3, 7});
        stats = ctx.runStep(new Sam(0.05), new Batch(x, y, 2), step);
      }
      assertThat(stats.samStep()).isTrue();
      assertThat(stats.loss()).isFinite().isPositive();
      assertThat(stats.perturbedLoss()).isFinite();
      assertThat(sgd.stepCount()).isEqualTo(1);
      assertThat(trainable.get(0).getArray().toFloatArray()).isNotEqualTo(before);
    }
  }
}
