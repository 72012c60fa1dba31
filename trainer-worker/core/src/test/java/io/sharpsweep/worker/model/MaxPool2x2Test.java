package io.sharpsweep.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sharpsweep.worker.engine.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaxPool2x2Test {

  /** Both paths give the native kernel's values bit for bit, odd sizes (floor mode) and NaN too. */
  @ParameterizedTest(name = "{0}x{1}x{2}x{3}")
  @CsvSource({"3, 4, 28, 28", "2, 5, 7, 7", "1, 2, 9, 6", "4, 1, 2, 3"})
  void stridedMaximumEqualsNativeMaxPool(int n, int c, int h, int w) {
    TorchRuntime.gradientRecordingOffOnThisThread();
    try (NDManager m = TorchRuntime.engine().newBaseManager()) {
      m.getEngine().setRandomSeed(7);
      NDArray x = m.randomNormal(new Shape(n, c, h, w));
      // ties (ReLU zeros) and a NaN
      x = x.maximum(0);
      x.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 1"), Float.NaN);
      NDArray expected = MaxPool2x2.native2x2(x);
      NDArray actual =
          new MaxPool2x2()
              .forward(new ParameterStore(m, false), new NDList(x), false)
              .singletonOrThrow();
      assertThat(actual.getShape()).isEqualTo(expected.getShape());
      assertThat(actual.getShape())
          .isEqualTo(new MaxPool2x2().getOutputShapes(new Shape[] {x.getShape()})[0]);
      float[] e = expected.toFloatArray();
      float[] a = actual.toFloatArray();
      for (int i = 0; i < e.length; i++) {
        assertThat(Float.floatToIntBits(a[i]))
            .as("element %d", i)
            .isEqualTo(Float.floatToIntBits(e[i]));
      }
      assertThat(Float.isNaN(a[0])).isTrue();
    }
  }

  /**
   * Inside a gradient collector: the native kernel, whose backward sends each gradient to one
   * maximum.
   */
  @Test
  void recordsThroughTheNativeKernelWhenTheInputNeedsAGradient() {
    TorchRuntime.gradientRecordingOffOnThisThread();
    Engine engine = TorchRuntime.engine();
    try (NDManager m = engine.newBaseManager()) {
      NDArray x = m.create(new float[] {2, 2, 0, 1, 3, 3, 5, 4}, new Shape(1, 2, 2, 2));
      x.setRequiresGradient(true);
      assertThat(MaxPool2x2.recordsGradient(x)).isFalse(); // grad mode off outside a collector
      try (GradientCollector gc = engine.newGradientCollector()) {
        assertThat(MaxPool2x2.recordsGradient(x)).isTrue();
        assertThat(MaxPool2x2.recordsGradient(x.mul(2))).as("a non-leaf tensor").isTrue();
        NDArray y =
            new MaxPool2x2()
                .forward(new ParameterStore(m, false), new NDList(x), true)
                .singletonOrThrow();
        gc.backward(y.sum());
      }
      // channel 0 ties at its maximum 2 → the first gets the gradient (an element-wise maximum
      // would split it)
      assertThat(x.getGradient().toFloatArray()).containsExactly(1, 0, 0, 0, 0, 0, 1, 0);
      assertThat(x.getGradient().getDataType()).isEqualTo(DataType.FLOAT32);
    }
  }
}
