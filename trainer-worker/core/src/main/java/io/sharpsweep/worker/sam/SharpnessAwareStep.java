package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.sam.direction.DirectionRule;
import io.sharpsweep.worker.sam.perturbation.Perturbation;
import io.sharpsweep.worker.sam.policy.StepPolicy;
import io.sharpsweep.worker.sam.selection.Pass2Data;
import java.util.ArrayList;
import java.util.List;

/**
 * The two-pass skeleton of docs/sam-variants.md#the-two-pass-step, composed of four strategies
 * (step policy, perturbation, pass-2 data, direction rule) around the base optimizer of the
 * context:
 *
 * <pre>
 *   pass 1 (training mode; ESAM may leave tensors out of the backward): loss, g = ∇L_B(w)
 *   policy: ERM → optimizer.step(direction.onErm(g)); done                              1 GE
 *   e = perturbation(g, w)     (a zero gradient makes the iteration an ERM step)
 *   save the perturbed tensors; w ← w + e in place, outside any gradient collector
 *   snapshot batch-norm running statistics
 *   B' = pass-2 data (ESAM: a forward without gradient at w + e, then the sharpest subset)
 *   zero the gradients; pass 2 (training mode) on B' at w + e → g_s
 *   restore the running statistics; w ← saved copy (exact, never w − e)
 *   optimizer.step(direction.onSam(g, g_s))                                              2 GE
 * </pre>
 *
 * Invariants: the optimizer (its momentum, weight decay, LR schedule and step counter) runs once
 * per iteration at the restored weights with the final direction only; running statistics move once
 * per iteration (pass 1); every array of the step dies with the step's manager.
 *
 * <p>Each variant is a subclass that only chooses the strategies ({@link Sam}, {@link Esam}, …).
 */
public class SharpnessAwareStep implements StepRule {
  private final StepPolicy policy;
  private final Perturbation perturbation;
  private final Pass2Data pass2;
  private final DirectionRule direction;

  protected SharpnessAwareStep(
      StepPolicy policy, Perturbation perturbation, Pass2Data pass2, DirectionRule direction) {
    this.policy = policy;
    this.perturbation = perturbation;
    this.pass2 = pass2;
    this.direction = direction;
  }

  public StepPolicy policy() {
    return policy;
  }

  public Perturbation perturbation() {
    return perturbation;
  }

  public Pass2Data pass2() {
    return pass2;
  }

  public DirectionRule direction() {
    return direction;
  }

  @Override
  public final StepStats step(TrainingContext ctx, Batch batch) {
    long t = ctx.iteration();
    boolean[] excluded = perturbation.excludeFromPass1(ctx);
    ctx.zeroGradients();
    Pass first = ctx.forwardBackward(batch, pass2.needsLossesBeforePerturbation(), excluded);
    GradientInfo g = new GradientInfo(ctx.gradients(), excluded, t);
    if (!policy.samStep(t, ctx.totalIterations(), g)) {
      return erm(ctx, g, first.loss());
    }
    List<NDArray> e = perturbation.compute(ctx, g);
    if (e == null) {
      return erm(ctx, g, first.loss()); // ‖g‖ = 0: no ascent direction, and pass 2 would be pass 1
    }
    // g views the gradient storage, which pass 2 overwrites: copy it if the direction needs it.
    GradientInfo kept =
        direction.needsPass1Gradient() ? g.withGradients(Tensors.copies(g.gradients())) : null;
    List<NDArray> weights = ctx.weights();
    List<NDArray> saved = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      NDArray ei = e.get(i);
      if (ei == null) {
        saved.add(null);
      } else {
        saved.add(weights.get(i).duplicate());
        weights.get(i).addi(ei);
      }
    }
    RunningStatsSnapshot runningStats = ctx.snapshotRunningStats();
    Batch second = pass2.select(ctx, batch, first.perExampleLosses());
    ctx.zeroGradients();
    Pass perturbed = ctx.forwardBackward(second, false, null);
    runningStats.restore();
    Tensors.copyInto(weights, saved);
    ctx.optimizer().step(weights, direction.onSam(ctx, kept, ctx.gradients()));
    return StepStats.sam(first.loss(), perturbed.loss());
  }

  private StepStats erm(TrainingContext ctx, GradientInfo g, double loss) {
    ctx.optimizer().step(ctx.weights(), direction.onErm(ctx, g));
    return StepStats.erm(loss);
  }

  @Override
  public void saveState(RuleState out) {
    policy.saveState(out);
    perturbation.saveState(out);
    pass2.saveState(out);
    direction.saveState(out);
  }

  @Override
  public void loadState(RuleState in, NDManager manager) {
    policy.loadState(in, manager);
    perturbation.loadState(in, manager);
    pass2.loadState(in, manager);
    direction.loadState(in, manager);
  }
}
