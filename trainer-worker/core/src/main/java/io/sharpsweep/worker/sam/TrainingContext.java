package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.sharpsweep.worker.data.Batch;
import io.sharpsweep.worker.optim.BaseOptimizer;
import java.util.List;

/**
 * What a {@link StepRule} may touch during one iteration. Everything created through {@link
 * #stepManager()} (and every result of an operation on the step's arrays) is closed when the
 * iteration ends.
 */
public interface TrainingContext {

  /** The manager of the current iteration. */
  NDManager stepManager();

  /**
   * A manager that lives as long as the trial: a rule keeps the tensors it carries across
   * iterations (LookSAM's stored direction) here. Attach them to {@link #stepManager()} with {@code
   * tempAttachAll} before operating on them in a step, so the results do not outlive the step.
   */
  NDManager stateManager();

  /**
   * The trainable parameters (those that require a gradient), in a fixed order; their types
   * (WEIGHT, BIAS, GAMMA, BETA) matter to ASAM.
   */
  List<Parameter> parameters();

  /**
   * The arrays of {@link #parameters()}, same order: the weights the optimizer updates in place.
   */
  List<NDArray> weights();

  /**
   * A training-mode forward and backward pass over {@code batch} in its own gradient collector,
   * with the mean cross-entropy loss. Gradients are <em>added</em> to the parameters' gradient
   * storage (DJL does not zero them): call {@link #zeroGradients()} first. Counts one forward and
   * one backward pass of {@code batch.size()} examples.
   *
   * @param perExampleLosses also return the per-example losses (detached)
   * @param excluded tensors (by position) whose weight gradient is not computed in this pass
   *     (requires-gradient off for the pass, so the backward really skips them; their gradient
   *     storage keeps its value, 0 after {@link #zeroGradients()}); null for none
   * @throws TrainingDivergedException if the loss is NaN or infinite
   */
  Pass forwardBackward(Batch batch, boolean perExampleLosses, boolean[] excluded);

  /** {@link #forwardBackward(Batch, boolean, boolean[])} of every tensor; returns the mean loss. */
  default double forwardBackward(Batch batch) {
    return forwardBackward(batch, false, null).loss();
  }

  /**
   * A training-mode forward pass without gradient recording (ESAM's selection pass): the
   * per-example losses. Counts one forward-only pass. Batch-norm running statistics move as in any
   * training-mode forward: snapshot them first.
   */
  NDArray forwardLosses(Batch batch);

  /**
   * The parameters' gradients, same order as {@link #weights()}. These are views of the gradient
   * storage: {@link #zeroGradients()} and the next backward change them, so copy ({@code
   * duplicate()}) what must survive a second pass.
   */
  List<NDArray> gradients();

  /**
   * Sets every parameter gradient to 0 in place (a fill, not {@code g − g}, which turns Inf into
   * NaN).
   */
  void zeroGradients();

  /** Copies of the batch-norm running statistics, to undo a forward that must not update them. */
  RunningStatsSnapshot snapshotRunningStats();

  /** The base optimizer; call its {@code step} exactly once per iteration. */
  BaseOptimizer optimizer();

  /** This iteration's index {@code t}, counted from 0 over the whole trial. */
  long iteration();

  /** {@code T}: the trial's planned iterations (max epochs × iterations per epoch). */
  long totalIterations();
}
