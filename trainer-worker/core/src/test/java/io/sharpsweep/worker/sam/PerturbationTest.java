package io.sharpsweep.worker.sam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.engine.TorchRuntime;
import io.sharpsweep.worker.sam.perturbation.AdaptivePerturbation;
import io.sharpsweep.worker.sam.perturbation.EuclideanPerturbation;
import io.sharpsweep.worker.sam.perturbation.MongePerturbation;
import io.sharpsweep.worker.sam.perturbation.StochasticWeightPerturbation;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ascent steps on the hand-computed numbers of docs/sam-variants.md#tests: T1 (norms), T8
 * (ASAM), T9 (M-SAM), T12 (ESAM's SWP), T16 (degenerate equivalences, bit for bit), T18 (norm set).
 * Tolerance: relative 1e-6 against the fp64 golden values (fp32 arithmetic).
 */
class PerturbationTest {
  private static final Parameter.Type W = Parameter.Type.WEIGHT;
  private static final Parameter.Type B = Parameter.Type.BIAS;

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
  void t1EuclideanStepHasNormRhoAlongTheGradient() {
    FixedContext ctx =
        new FixedContext(manager)
            .tensor(W, new float[] {1, 2, 3}, new float[] {0.3f, -1.2f, 0.05f})
            .tensor(B, new float[] {0, 0}, new float[] {2.5f, 0.7f});
    List<NDArray> e = new EuclideanPerturbation(0.05).compute(ctx, ctx.gradient());
    double[] flatE = flatten(e);
    double[] flatG = flatten(ctx.gradients());
    assertThat(norm(flatE)).isCloseTo(0.05, within(0.05 * 1e-6));
    assertThat(dot(flatE, flatG) / (norm(flatE) * norm(flatG))).isGreaterThan(1 - 1e-6);
  }

  @Test
  void aZeroGradientGivesNoPerturbation() {
    FixedContext ctx = new FixedContext(manager).tensor(W, new float[] {1, 2}, new float[] {0, 0});
    assertThat(new EuclideanPerturbation(0.05).compute(ctx, ctx.gradient())).isNull();
    assertThat(new MongePerturbation(0.05, 1).compute(ctx, ctx.gradient())).isNull();
    assertThat(
            new AdaptivePerturbation(0.5, 0.01, AdaptivePerturbation.Rule.OFFICIAL)
                .compute(ctx, ctx.gradient()))
        .isNull();
  }

  private FixedContext t8() {
    return new FixedContext(manager)
        .tensor(W, new float[] {1, -2, 0, 0.5f}, new float[] {0.5f, 0.5f, 1, -0.25f})
        .tensor(B, new float[] {0.3f}, new float[] {0.2f});
  }

  @Test
  void t8OfficialAsamScalesWeightsByAbsWPlusEtaAndLeavesBiasesAtOne() {
    FixedContext ctx = t8();
    List<NDArray> e =
        new AdaptivePerturbation(0.5, 0.01, AdaptivePerturbation.Rule.OFFICIAL)
            .compute(ctx, ctx.gradient());
    assertClose(e.get(0).toFloatArray(), 0.2218526282, 0.8786460181, 4.3496251e-5, -0.0282834372);
    assertClose(e.get(1).toFloatArray(), 0.0869925020);
    // ‖T⁻¹e‖ = ρ with T = |w| + η on the weight, 1 on the bias.
    double[] w = {1, -2, 0, 0.5};
    double sq = 0;
    float[] ew = e.get(0).toFloatArray();
    for (int i = 0; i < 4; i++) {
      double t = Math.abs(w[i]) + 0.01;
      sq += (ew[i] / t) * (ew[i] / t);
    }
    sq += Math.pow(e.get(1).toFloatArray()[0], 2);
    assertThat(Math.sqrt(sq)).isCloseTo(0.5, within(0.5e-6));
  }

  @Test
  void t8Davda54AsamScalesEveryTensorByAbsW() {
    FixedContext ctx = t8();
    List<NDArray> e =
        new AdaptivePerturbation(0.5, 0, AdaptivePerturbation.Rule.ALL_PARAMETERS)
            .compute(ctx, ctx.gradient());
    assertClose(e.get(0).toFloatArray(), 0.2219068455, 0.8876273819, 0, -0.0277383557);
    assertClose(e.get(1).toFloatArray(), 0.0079886464);
  }

  @Test
  void t16AsamWithTEqualToOneIsSamBitForBit() {
    FixedContext ctx = t8();
    List<NDArray> asam =
        new AdaptivePerturbation(0.5, 0.01, AdaptivePerturbation.Rule.NONE)
            .compute(ctx, ctx.gradient());
    List<NDArray> sam = new EuclideanPerturbation(0.5).compute(ctx, ctx.gradient());
    for (int i = 0; i < 2; i++) {
      assertThat(asam.get(i).toFloatArray()).containsExactly(sam.get(i).toFloatArray());
    }
  }

  @Test
  void t9MongeStepShrinksWithTheGradientNorm() {
    FixedContext ctx = new FixedContext(manager).tensor(W, new float[] {0, 0}, new float[] {3, 4});
    float[] alpha0 =
        new MongePerturbation(0.05, 0).compute(ctx, ctx.gradient()).get(0).toFloatArray();
    assertClose(alpha0, 0.03, 0.04);
    // α = 0 is SAM bit for bit (T16).
    assertThat(alpha0)
        .containsExactly(
            new EuclideanPerturbation(0.05).compute(ctx, ctx.gradient()).get(0).toFloatArray());
    float[] alpha1 =
        new MongePerturbation(0.05, 1).compute(ctx, ctx.gradient()).get(0).toFloatArray();
    assertClose(alpha1, 0.0058834841, 0.0078446454);
    double n = Math.hypot(alpha1[0], alpha1[1]);
    assertThat(n).isCloseTo(0.05 / Math.sqrt(26), within(1e-9));
    // δᵀGδ = ‖δ‖² + α²⟨g, δ⟩² = ρ².
    double gd = 3 * alpha1[0] + 4 * alpha1[1];
    assertThat(n * n + gd * gd).isCloseTo(0.05 * 0.05, within(0.0025 * 1e-6));
    assertClose(
        new MongePerturbation(0.05, 0.1).compute(ctx, ctx.gradient()).get(0).toFloatArray(),
        0.0268328157,
        0.0357770876);
  }

  private FixedContext t12() {
    return new FixedContext(manager)
        .tensor(W, new float[] {0}, new float[] {3})
        .tensor(W, new float[] {0}, new float[] {4})
        .tensor(W, new float[] {0}, new float[] {12});
  }

  @Test
  void t12SwpMaskedNormGivesRadiusRhoOverBeta() {
    FixedContext ctx = t12();
    boolean[] masked = {false, true, false};
    StochasticWeightPerturbation swp =
        new StochasticWeightPerturbation(0.1, 0.5, StochasticWeightPerturbation.Norm.MASKED, 1);
    // MASKED: the masked tensor was left out of pass 1, so g's exclusions are the mask.
    List<NDArray> e = swp.perturbation(ctx.gradient(masked), masked);
    assertClose(e.get(0).toFloatArray(), 0.0485071250);
    assertThat(e.get(1)).isNull();
    assertClose(e.get(2).toFloatArray(), 0.1940285000);
    assertThat(norm(flatten(e))).isCloseTo(0.2, within(0.2e-6));
  }

  @Test
  void t12SwpFullNormOption() {
    FixedContext ctx = t12();
    boolean[] masked = {false, true, false};
    StochasticWeightPerturbation swp =
        new StochasticWeightPerturbation(0.1, 0.5, StochasticWeightPerturbation.Norm.FULL, 1);
    List<NDArray> e = swp.perturbation(ctx.gradient(), masked);
    assertClose(e.get(0).toFloatArray(), 0.0461538462);
    assertThat(e.get(1)).isNull();
    assertClose(e.get(2).toFloatArray(), 0.1846153846);
    assertThat(norm(flatten(e))).isCloseTo(0.1902971827, within(0.19e-6));
  }

  @Test
  void t12SwpWithBetaOneIsSamBitForBit() {
    FixedContext ctx = t12();
    StochasticWeightPerturbation swp =
        new StochasticWeightPerturbation(0.1, 1.0, StochasticWeightPerturbation.Norm.MASKED, 1);
    ctx.iteration = 7;
    assertThat(swp.excludeFromPass1(ctx)).isNull(); // β = 1 keeps every tensor
    List<NDArray> e = swp.compute(ctx, ctx.gradient());
    List<NDArray> sam = new EuclideanPerturbation(0.1).compute(ctx, ctx.gradient());
    for (int i = 0; i < 3; i++) {
      assertThat(e.get(i).toFloatArray()).containsExactly(sam.get(i).toFloatArray());
    }
  }

  @Test
  void swpMasksWholeTensorsWithProbabilityOneMinusBetaAndNeverIterationZero() {
    FixedContext ctx = new FixedContext(manager);
    for (int i = 0; i < 10; i++) {
      ctx.tensor(W, new float[] {0}, new float[] {1});
    }
    StochasticWeightPerturbation swp =
        new StochasticWeightPerturbation(0.1, 0.6, StochasticWeightPerturbation.Norm.MASKED, 42);
    ctx.iteration = 0;
    assertThat(swp.excludeFromPass1(ctx)).isNull();
    int masked = 0;
    int draws = 0;
    for (long t = 1; t <= 2000; t++) {
      ctx.iteration = t;
      boolean[] m = swp.excludeFromPass1(ctx);
      if (m == null) {
        continue; // every tensor masked: that iteration runs unmasked
      }
      for (boolean b : m) {
        masked += b ? 1 : 0;
        draws++;
      }
    }
    assertThat((double) masked / draws).isCloseTo(0.4, within(0.02));
  }

  @Test
  void t18TensorsWithoutGradientAreOutsideTheNormAndUntouched() {
    // A tensor left out of the backward (frozen / masked / unused branch) has a zero gradient here.
    FixedContext with =
        new FixedContext(manager)
            .tensor(W, new float[] {1, 1}, new float[] {0.6f, -0.8f})
            .tensor(W, new float[] {5, 5, 5}, new float[] {0, 0, 0})
            .tensor(B, new float[] {2}, new float[] {1.5f});
    FixedContext without =
        new FixedContext(manager)
            .tensor(W, new float[] {1, 1}, new float[] {0.6f, -0.8f})
            .tensor(B, new float[] {2}, new float[] {1.5f});
    boolean[] excluded = {false, true, false};
    List<NDArray> e1 = new EuclideanPerturbation(0.05).compute(with, with.gradient(excluded));
    List<NDArray> e2 = new EuclideanPerturbation(0.05).compute(without, without.gradient());
    assertThat(e1.get(1)).isNull();
    assertThat(e1.get(0).toFloatArray()).containsExactly(e2.get(0).toFloatArray());
    assertThat(e1.get(2).toFloatArray()).containsExactly(e2.get(1).toFloatArray());
    // A zero-gradient tensor inside the set changes nothing either (its e is 0).
    List<NDArray> e3 = new EuclideanPerturbation(0.05).compute(with, with.gradient());
    assertThat(e3.get(0).toFloatArray()).containsExactly(e2.get(0).toFloatArray());
    assertThat(e3.get(1).toFloatArray()).containsOnly(0f);
  }

  static double[] flatten(List<NDArray> arrays) {
    return arrays.stream()
        .filter(a -> a != null)
        .flatMapToDouble(
            a -> {
              float[] f = a.toFloatArray();
              return java.util.stream.IntStream.range(0, f.length).mapToDouble(i -> f[i]);
            })
        .toArray();
  }

  static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static void assertClose(float[] actual, double... expected) {
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("element %d", i)
          .isCloseTo(expected[i], within(1e-6 * Math.max(Math.abs(expected[i]), 1e-3)));
    }
  }
}
