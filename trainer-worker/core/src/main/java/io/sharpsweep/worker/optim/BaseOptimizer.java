package io.sharpsweep.worker.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * The base optimizer every step rule wraps (docs/sam-variants.md#strategies): it owns the
 * learning-rate schedule, the per-tensor state (momentum buffers, …) and the one step counter,
 * which advances exactly once per {@link #step} — a SAM step calls it once, with the final
 * direction only.
 */
public interface BaseOptimizer extends AutoCloseable {

  /**
   * Updates {@code weights.get(i)} in place with direction {@code directions.get(i)} (the data-loss
   * gradient or a variant's replacement for it; weight decay is added here). Must run outside any
   * gradient collector. Tensors are identified by position: pass them in the same order every time.
   */
  void step(List<NDArray> weights, List<NDArray> directions);

  /** Iterations done so far (the {@code t} of the next step). */
  long stepCount();

  /** The learning rate the next {@link #step} will use. */
  double currentLearningRate();

  /** Copies of the state tensors (named {@code "<index>"}) in {@code manager}, for a checkpoint. */
  NDList saveState(NDManager manager);

  /** Restores tensors written by {@link #saveState} and the step counter. */
  void loadState(NDList state, long stepCount);

  @Override
  void close();
}
