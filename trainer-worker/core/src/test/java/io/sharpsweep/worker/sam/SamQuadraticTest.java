package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.optim.SgdSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * T1, T3, T4, T5, T6 of docs/sam-variants.md#tests on the quadratic {@code ½wᵀAw − bᵀw}, w0 = [0.5,
 * −0.3], ρ = 0.05.
 */
class SamQuadraticTest {
  private static final float[] W0 = {0.5f, -0.3f};
  private static final double TOL = 1e-6;

  private Engine engine;
  private NDManager manager;

  @BeforeEach
  void open() {
    engine = TorchRuntime.engine();
    TorchRuntime.gradientRecordingOffOnThisThread();
    manager = engine.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private QuadraticContext context(SgdSettings sgd) {
    return new QuadraticContext(
        engine,
        manager,
        W0,
        new SgdOptimizer(sgd, LearningRateSchedule.constant(sgd.learningRate()), manager));
  }

  @Test
  void t3GradientAtThePerturbedPointUpdateAtTheRestoredPoint() {
    QuadraticContext ctx = context(new SgdSettings(0.1, 0, 0, false, 0));
    StepStats stats = new Sam(0.05).step(ctx, null);
    assertThat(stats.samStep()).isTrue();
    assertThat(stats.loss())
        .isCloseTo(0.5 * (3 * 0.25 + 2 * 0.5 * -0.3 + 2 * 0.09) - (0.5 + 0.3), within(1e-6));
    // T1: pass 2 ran at w0 + e with e = ρ·g0/‖g0‖, g0 = [0.2, 0.9].
    float[] perturbed = ctx.weightsSeenByPasses.get(1);
    assertClose(
        new float[] {perturbed[0] - W0[0], perturbed[1] - W0[1]}, 0.0108465229, 0.0488093530);
    assertThat(Math.hypot(perturbed[0] - W0[0], perturbed[1] - W0[1]))
        .isCloseTo(0.05, within(1e-7));
    // T3: w1 = w0 − 0.1·g_s (not the gradient at w, not applied to w + e).
    assertClose(ctx.w().toFloatArray(), 0.4718651078, -0.4008465229);
    // T5: the gradient left after pass 2 is g_s alone, not g0 + g_s.
    assertClose(ctx.gradients().get(0).toFloatArray(), 0.2813489217, 1.0084652289);
    // T6: one optimizer step for the two passes.
    assertThat(ctx.forwardBackwardCalls).isEqualTo(2);
    assertThat(ctx.optimizer().stepCount()).isEqualTo(1);
  }

  @Test
  void t4MomentumAndWeightDecayUseTheRestoredWeights() {
    QuadraticContext ctx = context(new SgdSettings(0.1, 0.9, 0, false, 5e-4));
    Sam sam = new Sam(0.05);
    sam.step(ctx, null);
    assertClose(ctx.w().toFloatArray(), 0.4718401078, -0.4008315229);
    assertClose(
        ((SgdOptimizer) ctx.optimizer()).momentumBuffer(0).toFloatArray(),
        0.2815989217,
        1.0083152289);
    sam.step(ctx, null);
    assertClose(ctx.w().toFloatArray(), 0.4396762454, -0.5686847197);
    assertClose(
        ((SgdOptimizer) ctx.optimizer()).momentumBuffer(0).toFloatArray(),
        0.3216386240,
        1.6785319679);
    assertThat(ctx.optimizer().stepCount()).isEqualTo(2);
  }

  @Test
  void aZeroGradientIsAnErmStepWithoutASecondPass() {
    // ∇L = Aw − b = 0 at w* = A⁻¹b = [0.6, −0.8].
    QuadraticContext ctx =
        new QuadraticContext(
            engine,
            manager,
            new float[] {0.6f, -0.8f},
            new SgdOptimizer(
                new SgdSettings(0.1, 0, 0, false, 0), LearningRateSchedule.constant(0.1), manager));
    NDArray before = ctx.w().duplicate();
    StepStats stats = new Sam(0.05).step(ctx, null);
    assertThat(stats.samStep()).isFalse();
    assertThat(ctx.forwardBackwardCalls).isEqualTo(1);
    assertThat(ctx.optimizer().stepCount()).isEqualTo(1);
    assertThat(ctx.w().toFloatArray()).containsExactly(before.toFloatArray());
  }

  private static void assertClose(float[] actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("element %d", i)
          .isCloseTo(expected[i], within(TOL * Math.max(1, Math.abs(expected[i]))));
    }
  }
}
