package io.sharpsweep.worker.sam;

import static io.sharpsweep.worker.sam.PerturbationTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.optim.SgdSettings;
import io.sharpsweep.worker.sam.direction.LookSamDirection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LookSAM, T11 of docs/sam-variants.md#tests: the stored direction, its reuse, no roll-back, k = 1
 * is SAM.
 */
class LookSamTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    TorchRuntime.gradientRecordingOffOnThisThread();
    manager = TorchRuntime.engine().newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void t11StoresTheComponentOfGsOrthogonalToGAndReusesItScaledToTheFreshNorm() {
    FixedContext sam =
        new FixedContext(manager)
            .tensor(Parameter.Type.WEIGHT, new float[] {0, 0, 0}, new float[] {1, 2, 2});
    LookSamDirection look = new LookSamDirection(0.7);
    List<NDArray> gs = List.of(manager.create(new float[] {2, 1, 2}));
    assertThat(look.onSam(sam, sam.gradient(), gs)).isSameAs(gs);
    float[] gv = look.stored().get(0).toFloatArray();
    assertClose(gv, 10 / 9.0, -7 / 9.0, 2 / 9.0);
    assertThat(gv[0] * 1 + gv[1] * 2 + gv[2] * 2).isCloseTo(0f, within(1e-6f));
    assertThat(look.storedNorm()).isCloseTo(1.3743685419, within(1e-6));

    FixedContext reuse =
        new FixedContext(manager)
            .tensor(Parameter.Type.WEIGHT, new float[] {0, 0, 0}, new float[] {0, 3, 0});
    float[] d = look.onErm(reuse, reuse.gradient()).get(0).toFloatArray();
    assertClose(d, 1.6977493753, 1.8115754373, 0.3395498751);
  }

  @Test
  void withoutAStoredDirectionAReuseStepIsPlainSgd() {
    FixedContext ctx =
        new FixedContext(manager)
            .tensor(Parameter.Type.WEIGHT, new float[] {0, 0}, new float[] {0.5f, -1});
    List<NDArray> d = new LookSamDirection(0.7).onErm(ctx, ctx.gradient());
    assertThat(d.get(0).toFloatArray()).containsExactly(0.5f, -1f);
  }

  private QuadraticContext quadratic() {
    return new QuadraticContext(
        TorchRuntime.engine(),
        manager,
        new float[] {0.5f, -0.3f},
        new SgdOptimizer(
            new SgdSettings(0.1, 0, 0, false, 0), LearningRateSchedule.constant(0.1), manager));
  }

  /** ∇(½wᵀAw − bᵀw) = Aw − b. */
  private static double[] grad(double[] w) {
    return new double[] {3 * w[0] + w[1] - 1, w[0] + 2 * w[1] + 1};
  }

  @Test
  void t11ReuseStepsMoveOnFromTheCurrentWeightsNeverBackToTheLastSamStep() {
    QuadraticContext ctx = quadratic();
    LookSam look = new LookSam(0.05, 5, 0.7);
    double[] w0 = {0.5f, -0.3f};
    // Step 0 is a SAM step: g_v from g0 and g_s in double precision.
    double[] g0 = grad(w0);
    double n0 = Math.hypot(g0[0], g0[1]);
    double[] gs = grad(new double[] {w0[0] + 0.05 * g0[0] / n0, w0[1] + 0.05 * g0[1] / n0});
    double c = (g0[0] * gs[0] + g0[1] * gs[1]) / (n0 * n0);
    double[] gv = {gs[0] - c * g0[0], gs[1] - c * g0[1]};
    double gvNorm = Math.hypot(gv[0], gv[1]);
    assertThat(look.step(ctx, null).samStep()).isTrue();
    for (int t = 1; t < 5; t++) {
      float[] before = ctx.w().toFloatArray();
      double[] g = grad(new double[] {before[0], before[1]});
      double k = 0.7 * Math.hypot(g[0], g[1]) / gvNorm;
      StepStats stats = look.step(ctx, null);
      assertThat(stats.samStep()).as("t=%d", t).isFalse();
      float[] after = ctx.w().toFloatArray();
      for (int i = 0; i < 2; i++) {
        assertThat((double) after[i])
            .as("w[%d] after reuse step %d", i, t)
            .isCloseTo(before[i] - 0.1 * (g[i] + k * gv[i]), within(1e-6));
      }
    }
    assertThat(ctx.forwardBackwardCalls).isEqualTo(6); // 2 + 4 × 1
    assertThat(look.step(ctx, null).samStep()).isTrue(); // t = 5
  }

  @Test
  void t11LookSamWithKOneIsSamBitForBit() {
    QuadraticContext a = quadratic();
    QuadraticContext b = quadratic();
    LookSam look = new LookSam(0.05, 1, 0.7);
    Sam sam = new Sam(0.05);
    for (int t = 0; t < 6; t++) {
      look.step(a, null);
      sam.step(b, null);
      assertThat(a.w().toFloatArray()).containsExactly(b.w().toFloatArray());
    }
  }
}
