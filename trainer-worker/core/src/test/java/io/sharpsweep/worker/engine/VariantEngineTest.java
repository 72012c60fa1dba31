package io.sharpsweep.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.data.DatasetCache;
import io.sharpsweep.worker.data.DatasetLoader;
import io.sharpsweep.worker.data.TrainingData;
import io.sharpsweep.worker.model.CnnSmall;
import io.sharpsweep.worker.model.Mlp;
import io.sharpsweep.worker.model.ModelArchitecture;
import io.sharpsweep.worker.model.SeededInitializer;
import io.sharpsweep.worker.optim.LearningRateSchedule;
import io.sharpsweep.worker.optim.SgdOptimizer;
import io.sharpsweep.worker.optim.SgdSettings;
import io.sharpsweep.worker.sam.AeLookSam;
import io.sharpsweep.worker.sam.AeSam;
import io.sharpsweep.worker.sam.Asam;
import io.sharpsweep.worker.sam.Esam;
import io.sharpsweep.worker.sam.LookSam;
import io.sharpsweep.worker.sam.MSam;
import io.sharpsweep.worker.sam.Pass;
import io.sharpsweep.worker.sam.Rst;
import io.sharpsweep.worker.sam.Sam;
import io.sharpsweep.worker.sam.SamK;
import io.sharpsweep.worker.sam.Sgd;
import io.sharpsweep.worker.sam.StepRule;
import io.sharpsweep.worker.sam.StepStats;
import io.sharpsweep.worker.sam.TrainingContext;
import io.sharpsweep.worker.sam.perturbation.AdaptivePerturbation;
import io.sharpsweep.worker.sam.perturbation.StochasticWeightPerturbation;
import io.sharpsweep.worker.sam.policy.AdaptiveSwitching;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every variant through the real context on the MLP and the small CNN (batch norm): the
 * equivalences T10/T16 of docs/sam-variants.md#tests bit for bit, the cost counters of T17, one
 * optimizer update per iteration (T6), the exact restore (T2), batch-norm statistics moving once
 * (T7) and ESAM's masked pass 1 (T1, SWP).
 */
class VariantEngineTest {
  private static final SgdSettings SGD = new SgdSettings(0.05, 0.9, 0, false, 5e-4);
  private static final double INF = Double.POSITIVE_INFINITY;
  private static NDManager root;
  private static DatasetCache datasets;
  private static TrainingData data;

  @BeforeAll
  static void start() {
    TorchRuntime.gradientRecordingOffOnThisThread();
    root = TorchRuntime.engine().newBaseManager();
    datasets = new DatasetCache(new DatasetLoader(Path.of("/nonexistent")), root);
    data = datasets.get(SegmentTrainerTest.SYNTHETIC);
  }

  @AfterAll
  static void stop() {
    datasets.close();
    root.close();
  }

  private static float[][] train(ModelArchitecture model, StepRule rule, int steps, int batch) {
    try (StepHarness h = new StepHarness(root, model, data, SGD, steps, 7)) {
      h.run(rule, steps, batch);
      return h.parameters();
    }
  }

  private static void assertSameTraining(
      ModelArchitecture model, Supplier<StepRule> a, Supplier<StepRule> b, String what) {
    assertThat(train(model, a.get(), 6, 32)).as(what).isDeepEqualTo(train(model, b.get(), 6, 32));
  }

  @Test
  void t10T16DegenerateVariantsTrainExactlyLikeSamOrSgd() {
    CnnSmall cnn = new CnnSmall(); // batch norm: the running statistics must match too
    assertSameTraining(cnn, () -> new Sam(0), Sgd::new, "SAM rho 0 = SGD");
    assertSameTraining(cnn, () -> new Rst(0.05, 1, 3), () -> new Sam(0.05), "RST p 1 = SAM");
    assertSameTraining(cnn, () -> new Rst(0.05, 0, 3), Sgd::new, "RST p 0 = SGD");
    assertSameTraining(
        cnn,
        () -> new Esam(0.05, 1, 1, StochasticWeightPerturbation.Norm.MASKED, 3),
        () -> new Sam(0.05),
        "ESAM beta = gamma = 1 = SAM");
    assertSameTraining(cnn, () -> new LookSam(0.05, 1, 0.7), () -> new Sam(0.05), "LookSAM k 1");
    assertSameTraining(cnn, () -> new SamK(0.05, 1), () -> new Sam(0.05), "SAM-k k 1 = SAM");
    assertSameTraining(cnn, () -> new MSam(0.05, 0), () -> new Sam(0.05), "M-SAM alpha 0 = SAM");
    assertSameTraining(
        cnn,
        () -> new Asam(0.05, 0.01, AdaptivePerturbation.Rule.NONE),
        () -> new Sam(0.05),
        "ASAM with T = 1 = SAM");
    assertSameTraining(
        cnn,
        () -> new AeSam(0.05, 0.9, -INF, -INF, AdaptiveSwitching.Init.FIRST_SAMPLE),
        () -> new Sam(0.05),
        "AE-SAM lambda -inf = SAM");
    assertSameTraining(
        cnn,
        () -> new AeSam(0.05, 0.9, INF, INF, AdaptiveSwitching.Init.FIRST_SAMPLE),
        Sgd::new,
        "AE-SAM lambda +inf = SGD");
  }

  private record Costs(CostCounters.Totals totals, int samSteps, int optimizerCalls) {}

  private static Costs costs(StepRule rule, int steps, int batch) {
    try (StepHarness h = new StepHarness(root, new Mlp(), data, SGD, steps, 7)) {
      int sam = 0;
      for (StepStats s : h.run(rule, steps, batch)) {
        sam += s.samStep() ? 1 : 0;
      }
      return new Costs(h.cost.totals(), sam, h.optimizerCalls);
    }
  }

  @Test
  void t17T6CostCountersAndOneOptimizerUpdatePerIteration() {
    int n = 10;
    int b = 32;
    Costs sgd = costs(new Sgd(), n, b);
    assertThat(sgd.totals().forwardPasses()).isEqualTo(n);
    assertThat(sgd.totals().backwardPasses()).isEqualTo(n);
    assertThat(sgd.totals().examplesBackward()).isEqualTo((long) n * b);

    Costs sam = costs(new Sam(0.05), n, b);
    assertThat(sam.totals().forwardPasses()).isEqualTo(2 * n);
    assertThat(sam.totals().backwardPasses()).isEqualTo(2 * n);
    assertThat(sam.totals().examplesBackward()).isEqualTo(2L * n * b);
    assertThat(sam.samSteps()).isEqualTo(n);

    Costs look = costs(new LookSam(0.05, 5, 0.7), n, b);
    assertThat(look.totals().backwardPasses()).isEqualTo(n + n / 5); // N·(1 + 1/k)
    assertThat(look.samSteps()).isEqualTo(2);

    for (StepRule adaptive :
        List.of(
            new AeSam(0.05, 0.9, -1, 1, AdaptiveSwitching.Init.FIRST_SAMPLE),
            new AeLookSam(0.05, 0.9, -1, 1, 0.7),
            new Rst(0.05, 0.5, 9))) {
      Costs c = costs(adaptive, n, b);
      assertThat(c.samSteps()).isBetween(1, n - 1);
      assertThat(c.totals().backwardPasses()).isEqualTo(n + c.samSteps());
      assertThat(c.totals().samSteps()).isEqualTo(c.samSteps());
      assertThat(c.optimizerCalls()).isEqualTo(n);
    }

    Costs esam = costs(new Esam(0.05, 0.6, 0.5, StochasticWeightPerturbation.Norm.MASKED, 3), n, b);
    assertThat(esam.totals().forwardPasses()).isEqualTo(3 * n); // pass 1, selection, pass 2
    assertThat(esam.totals().backwardPasses()).isEqualTo(2 * n);
    assertThat(esam.totals().examplesBackward()).isEqualTo((long) n * b + (long) n * 16);
    assertThat(esam.totals().examplesForwardOnly()).isEqualTo((long) n * b);
    assertThat(esam.optimizerCalls()).isEqualTo(n);
    // (b + γb + b/3) / b per iteration: 1.8333… SGD-epoch equivalents per epoch of iterations.
    assertThat(CostCounters.from(esam.totals()).toCost(n * b).sgdEpochEquivalents())
        .isCloseTo(1 + 0.5 + 1 / 3.0, within(1e-12));
    assertThat(sgd.optimizerCalls()).isEqualTo(n);
    assertThat(sam.optimizerCalls()).isEqualTo(n);
    assertThat(look.optimizerCalls()).isEqualTo(n);
  }

  @Test
  void t2EveryVariantRestoresTheWeightsBitForBit() {
    // lr 0: whatever the direction, the weights after the iteration must be the saved ones.
    SgdSettings frozen = new SgdSettings(0, 0.9, 0, false, 5e-4);
    List<StepRule> rules =
        List.of(
            new Sam(0.05),
            new Asam(0.5, 0.01, AdaptivePerturbation.Rule.OFFICIAL),
            new Esam(0.05, 0.6, 0.5, StochasticWeightPerturbation.Norm.MASKED, 3),
            new MSam(0.05, 1),
            new LookSam(0.05, 2, 0.7),
            new AeSam(0.05, 0.9, -1, 1, AdaptiveSwitching.Init.FIRST_SAMPLE));
    for (StepRule rule : rules) {
      try (StepHarness h = new StepHarness(root, new Mlp(), data, frozen, 4, 7)) {
        float[][] before = h.parameters();
        h.run(rule, 4, 32);
        assertThat(h.parameters()).as(rule.getClass().getSimpleName()).isDeepEqualTo(before);
      }
    }
  }

  @Test
  void t7BatchNormStatisticsMoveOnceEvenWithEsamsThreeForwards() {
    for (StepRule rule :
        List.of(
            new Sam(0.05),
            new Esam(0.05, 0.6, 0.5, StochasticWeightPerturbation.Norm.MASKED, 3),
            new MSam(0.05, 1))) {
      try (NDManager trial = root.newSubManager()) {
        Block block =
            new SequentialBlock()
                .add(BatchNorm.builder().optMomentum(0.9f).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        block.initialize(trial, DataType.FLOAT32, new Shape(1, 1, 4, 4));
        SeededInitializer.initialise(block, 1);
        SgdOptimizer sgd = new SgdOptimizer(SGD, LearningRateSchedule.constant(0.05), trial);
        DjlTrainingContext ctx =
            new DjlTrainingContext(
                TorchRuntime.engine(), block, sgd, new CostCounters(), 10, trial);
        NDArray runningMean =
            block.getParameters().stream()
                .filter(p -> p.getValue().getType() == Parameter.Type.RUNNING_MEAN)
                .findFirst()
                .orElseThrow()
                .getValue()
                .getArray();
        try (NDManager step = trial.newSubManager()) {
          NDArray x =
              step.ones(new Shape(8, 1, 4, 4))
                  .add(step.randomNormal(0, 0.1f, new Shape(8, 1, 4, 4), DataType.FLOAT32));
          x = x.sub(x.mean()).add(1f); // batch mean exactly 1 (to fp32 rounding)
          NDArray y = step.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7});
          assertThat(ctx.runStep(rule, new Batch(x, y, 8), step).samStep()).isTrue();
        }
        assertThat((double) runningMean.getFloat(0))
            .as(rule.getClass().getSimpleName())
            .isCloseTo(0.1, within(1e-6));
      }
    }
  }

  /** Records what the rule asked of the context: the weights each pass saw and pass 1's masks. */
  private static final class Spy extends ForwardingContext {
    final List<float[][]> weightsPerPass = new ArrayList<>();
    final List<boolean[]> exclusions = new ArrayList<>();
    final List<float[][]> gradientsAfterMaskedPass = new ArrayList<>();

    Spy(TrainingContext inner) {
      super(inner);
    }

    @Override
    public Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded) {
      weightsPerPass.add(
          inner.weights().stream().map(NDArray::toFloatArray).toArray(float[][]::new));
      Pass p = inner.forwardBackward(batch, perExampleLosses, excluded);
      if (excluded != null) {
        exclusions.add(excluded.clone());
        gradientsAfterMaskedPass.add(
            inner.gradients().stream().map(NDArray::toFloatArray).toArray(float[][]::new));
      }
      return p;
    }
  }

  @Test
  void t1EsamSkipsMaskedWeightGradientsAndPerturbsTheRestByRhoOverBeta() {
    double rho = 0.05;
    double beta = 0.5;
    Esam esam = new Esam(rho, beta, 0.5, StochasticWeightPerturbation.Norm.MASKED, 21);
    int maskedSteps = 0;
    try (StepHarness h = new StepHarness(root, new Mlp(), data, SGD, 12, 7)) {
      for (int i = 0; i < 12; i++) {
        Spy[] holder = new Spy[1];
        h.step(esam, i, 32, ctx -> holder[0] = new Spy(ctx));
        Spy s = holder[0];
        assertThat(s.weightsPerPass).hasSize(2);
        float[][] w0 = s.weightsPerPass.get(0);
        float[][] w1 = s.weightsPerPass.get(1);
        double sq = 0;
        for (int t = 0; t < w0.length; t++) {
          for (int j = 0; j < w0[t].length; j++) {
            double d = (double) w1[t][j] - w0[t][j];
            sq += d * d;
          }
        }
        if (i == 0) {
          assertThat(s.exclusions).isEmpty(); // iteration 0 is unmasked
          continue;
        }
        if (s.exclusions.isEmpty()) {
          continue; // a draw that masked everything runs unmasked
        }
        maskedSteps++;
        boolean[] masked = s.exclusions.get(0);
        float[][] g = s.gradientsAfterMaskedPass.get(0);
        for (int t = 0; t < masked.length; t++) {
          if (masked[t]) {
            // Not computed: the storage keeps the zeros it was reset to, and the tensor is not
            // perturbed.
            assertThat(g[t]).as("gradient of masked tensor %d at step %d", t, i).containsOnly(0f);
            assertThat(w1[t]).isEqualTo(w0[t]);
          } else {
            assertThat(g[t])
                .as("gradient of kept tensor %d", t)
                .isNotEqualTo(new float[g[t].length]);
          }
        }
        assertThat(Math.sqrt(sq)).as("‖e‖ at step %d", i).isCloseTo(rho / beta, within(1e-4 * rho));
      }
    }
    assertThat(maskedSteps).isGreaterThan(5);
  }
}
