package io.sharpsweep.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.sharpsweep.worker.engine.TorchRuntime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T14 of docs/sam-variants.md#tests: PyTorch-semantics SGD golden values (fp64 references, fp32
 * implementation, 1e-6).
 */
class SgdOptimizerTest {
  private static final float[] W0 = {1f, -2f, 0.5f};
  private static final float[] G1 = {0.1f, -0.2f, 0.3f};
  private static final float[] G2 = {0.05f, 0.4f, -0.1f};
  private static final LearningRateSchedule LR_01_THEN_005 = t -> t == 0 ? 0.1 : 0.05;
  private static final double TOL = 1e-6;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = TorchRuntime.engine().newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void heavyBallMatchesPyTorchGoldenValues() {
    NDArray w = manager.create(W0);
    try (SgdOptimizer sgd =
        new SgdOptimizer(new SgdSettings(0.1, 0.9, 0, false, 5e-4), LR_01_THEN_005, manager)) {
      sgd.step(List.of(w), List.of(manager.create(G1)));
      assertClose(w, 0.98995, -1.9799, 0.469975);
      // First update: the buffer is d = g + λ·w0 itself, no dampening.
      assertClose(sgd.momentumBuffer(0), 0.1005, -0.201, 0.30025);
      sgd.step(List.of(w), List.of(manager.create(G2)));
      assertClose(w, 0.9829027513, -1.9908055025, 0.4614520006);
      assertClose(sgd.momentumBuffer(0), 0.140944975, 0.21811005, 0.1704599875);
      assertThat(sgd.stepCount()).isEqualTo(2);
    }
  }

  @Test
  void nesterovMatchesPyTorchGoldenValues() {
    NDArray w = manager.create(W0);
    try (SgdOptimizer sgd =
        new SgdOptimizer(new SgdSettings(0.1, 0.9, 0, true, 5e-4), LR_01_THEN_005, manager)) {
      sgd.step(List.of(w), List.of(manager.create(G1)));
      assertClose(w, 0.980905, -1.96181, 0.4429525);
      sgd.step(List.of(w), List.of(manager.create(G2)));
      assertClose(w, 0.972038157, -1.991576314, 0.4402713348);
    }
  }

  @Test
  void djlSgdSemanticsGiveTheOtherValueWhichOursDoesNotMatch() {
    // DJL's own Sgd on this engine: learning rate inside the buffer (v = μv + η(g + λw); w −= v).
    NDArray djlWeight = manager.create(W0);
    djlWeight.setRequiresGradient(true);
    Optimizer djl =
        Optimizer.sgd()
            .setLearningRateTracker(
                new Tracker() {
                  private int calls;

                  @Override
                  public float getNewValue(int numUpdate) {
                    return calls++ == 0 ? 0.1f : 0.05f;
                  }
                })
            .optMomentum(0.9f)
            .optWeightDecays(5e-4f)
            .build();
    djl.update("w", djlWeight, manager.create(G1));
    djl.update("w", djlWeight, manager.create(G2));
    assertClose(djlWeight, 0.9783802512, -1.9817605025, 0.4479407506);

    NDArray ours = manager.create(W0);
    try (SgdOptimizer sgd =
        new SgdOptimizer(new SgdSettings(0.1, 0.9, 0, false, 5e-4), LR_01_THEN_005, manager)) {
      sgd.step(List.of(ours), List.of(manager.create(G1)));
      sgd.step(List.of(ours), List.of(manager.create(G2)));
    }
    assertThat(ours.sub(djlWeight).abs().max().getFloat()).isGreaterThan(1e-3f);
  }

  @Test
  void plainSgdWithoutMomentumKeepsNoBufferAndAppliesWeightDecay() {
    NDArray w = manager.create(W0);
    try (SgdOptimizer sgd =
        new SgdOptimizer(
            new SgdSettings(0.1, 0, 0, false, 0.5), LearningRateSchedule.constant(0.1), manager)) {
      sgd.step(List.of(w), List.of(manager.create(G1)));
      // w − 0.1·(g + 0.5·w)
      assertClose(w, 1 - 0.1 * (0.1 + 0.5), -2 - 0.1 * (-0.2 - 1.0), 0.5 - 0.1 * (0.3 + 0.25));
      assertThat(sgd.saveState(manager).size()).isZero();
    }
  }

  @Test
  void dampeningScalesTheNewDirectionFromTheSecondUpdateOn() {
    NDArray w = manager.create(new float[] {0f});
    try (SgdOptimizer sgd =
        new SgdOptimizer(
            new SgdSettings(1, 0.5, 0.25, false, 0), LearningRateSchedule.constant(1), manager)) {
      sgd.step(List.of(w), List.of(manager.create(new float[] {1f})));
      assertThat(sgd.momentumBuffer(0).getFloat()).isEqualTo(1f);
      sgd.step(List.of(w), List.of(manager.create(new float[] {1f})));
      assertThat(sgd.momentumBuffer(0).getFloat()).isEqualTo(0.5f + 0.75f);
      assertThat(w.getFloat()).isEqualTo(-1f - 1.25f);
    }
  }

  @Test
  void stateRoundTripContinuesIdentically() {
    SgdSettings s = new SgdSettings(0.1, 0.9, 0, true, 5e-4);
    NDArray a = manager.create(W0);
    NDArray b = manager.create(W0);
    try (SgdOptimizer straight = new SgdOptimizer(s, LR_01_THEN_005, manager);
        SgdOptimizer first = new SgdOptimizer(s, LR_01_THEN_005, manager);
        SgdOptimizer resumed = new SgdOptimizer(s, LR_01_THEN_005, manager)) {
      straight.step(List.of(a), List.of(manager.create(G1)));
      straight.step(List.of(a), List.of(manager.create(G2)));
      first.step(List.of(b), List.of(manager.create(G1)));
      NDList saved = first.saveState(manager);
      resumed.loadState(NDList.decode(manager, saved.encode()), first.stepCount());
      assertThat(resumed.currentLearningRate()).isEqualTo(0.05);
      resumed.step(List.of(b), List.of(manager.create(G2)));
    }
    assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
  }

  /**
   * The fused float32 path (buffers kept scaled by the last learning rate) against the
   * six-operation float64 path over a schedule with a zero learning rate in the middle, where the
   * buffers go back to PyTorch's form.
   */
  @Test
  void fusedPathEqualsTheSixOperationFormAcrossAZeroLearningRate() {
    double[] lrs = {0.1, 0.05, 0, 0.07, 0.02};
    LearningRateSchedule schedule = t -> lrs[(int) t];
    SgdSettings s = new SgdSettings(0.1, 0.9, 0, false, 5e-4);
    NDArray w32 = manager.create(W0);
    NDArray w64 = manager.create(W0).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
    try (SgdOptimizer fused = new SgdOptimizer(s, schedule, manager);
        SgdOptimizer reference = new SgdOptimizer(s, schedule, manager)) {
      for (int t = 0; t < lrs.length; t++) {
        float[] g = t % 2 == 0 ? G1 : G2;
        fused.step(List.of(w32), List.of(manager.create(g)));
        reference.step(
            List.of(w64),
            List.of(manager.create(g).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)));
        assertClose(w32, w64.toDoubleArray());
        assertClose(fused.momentumBuffer(0), reference.momentumBuffer(0).toDoubleArray());
      }
    }
  }

  @Test
  void fusedStateRoundTripContinuesIdentically() {
    SgdSettings s = new SgdSettings(0.1, 0.9, 0, false, 5e-4);
    NDArray a = manager.create(W0);
    NDArray b = manager.create(W0);
    try (SgdOptimizer straight = new SgdOptimizer(s, LR_01_THEN_005, manager);
        SgdOptimizer first = new SgdOptimizer(s, LR_01_THEN_005, manager);
        SgdOptimizer resumed = new SgdOptimizer(s, LR_01_THEN_005, manager)) {
      for (SgdOptimizer o : List.of(straight, first)) {
        o.step(List.of(o == straight ? a : b), List.of(manager.create(G1)));
      }
      NDList saved = first.saveState(manager);
      // the buffer, and its scale (the learning rate of the step that wrote it)
      assertThat(saved).hasSize(2);
      assertThat(saved.get(1).getName()).isEqualTo("scale");
      resumed.loadState(NDList.decode(manager, saved.encode()), first.stepCount());
      straight.step(List.of(a), List.of(manager.create(G2)));
      resumed.step(List.of(b), List.of(manager.create(G2)));
    }
    assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
  }

  /**
   * Nesterov takes the six-operation path, heavy ball the fused one: neither leaves arrays behind.
   */
  @ParameterizedTest(name = "nesterov {0}")
  @ValueSource(booleans = {true, false})
  void aStepLeavesNoArraysBehindInTheWeightsManager(boolean nesterov) {
    NDManager weights = manager.newSubManager();
    NDArray w = weights.create(W0);
    try (SgdOptimizer sgd =
            new SgdOptimizer(
                new SgdSettings(0.1, 0.9, 0, nesterov, 5e-4), LR_01_THEN_005, manager);
        NDManager step = manager.newSubManager()) {
      NDArray g = step.create(G1);
      int before = ((BaseNDManager) weights).getManagedArrays().size();
      sgd.step(List.of(w), List.of(g));
      sgd.step(List.of(w), List.of(g));
      assertThat(((BaseNDManager) weights).getManagedArrays()).hasSize(before);
      assertThat(g.toFloatArray()).containsExactly(G1); // the direction is read, not changed
    }
  }

  @Test
  void settingsRejectImpossibleValues() {
    assertThatThrownBy(() -> new SgdSettings(-0.1, 0.9, 0, false, 0))
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> new SgdSettings(0.1, 1.0, 0, false, 0))
        .hasMessageContaining("momentum must be in [0, 1)");
    assertThatThrownBy(() -> new SgdSettings(0.1, 0, 0, true, 0)).hasMessageContaining("Nesterov");
    assertThatThrownBy(() -> new SgdSettings(0.1, 0.9, 0.1, true, 0))
        .hasMessageContaining("dampening 0");
  }

  @Test
  void cosineScheduleAnnealsToZeroOverThePlannedIterations() {
    CosineSchedule s = new CosineSchedule(0.1, 100);
    assertThat(s.at(0)).isEqualTo(0.1);
    assertThat(s.at(50)).isCloseTo(0.05, within(1e-15));
    assertThat(s.at(25)).isCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)), within(1e-15));
    assertThat(s.at(99)).isGreaterThan(0).isLessThan(1e-4);
    assertThat(s.at(100)).isZero();
    assertThatThrownBy(() -> new CosineSchedule(0.1, 0)).hasMessageContaining("total iterations");
  }

  @Test
  void theStepCounterDrivesTheSchedule() {
    NDArray w = manager.create(new float[] {1f});
    try (SgdOptimizer sgd =
        new SgdOptimizer(new SgdSettings(1, 0, 0, false, 0), new CosineSchedule(1, 4), manager)) {
      double[] expectedLr = {
        1.0, 0.5 * (1 + Math.cos(Math.PI / 4)), 0.5, 0.5 * (1 + Math.cos(3 * Math.PI / 4))
      };
      double expected = 1;
      for (double lr : expectedLr) {
        assertThat(sgd.currentLearningRate()).isCloseTo(lr, within(1e-12));
        sgd.step(List.of(w), List.of(manager.create(new float[] {1f})));
        expected -= (float) lr;
      }
      assertThat(sgd.stepCount()).isEqualTo(4);
      assertThat((double) w.getFloat()).isCloseTo(expected, within(1e-6));
    }
  }

  private static void assertClose(NDArray actual, double... expected) {
    float[] a = actual.toFloatArray();
    assertThat(a).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) a[i])
          .as("element %d", i)
          .isCloseTo(expected[i], within(TOL * Math.max(1, Math.abs(expected[i]))));
    }
  }
}
