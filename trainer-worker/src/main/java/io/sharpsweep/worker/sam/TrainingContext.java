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

  /** The trainable parameters (those that require a gradient), in a fixed order. */
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
   * @return the loss as a host scalar
   * @throws TrainingDivergedException if the loss is NaN or infinite
   */
  double forwardBackward(Batch batch);

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

  /**
   * The trial seed (for rules that draw random decisions, derive a stream from it and {@link
   * #iteration()}).
   */
  long seed();
}
