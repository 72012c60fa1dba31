package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDManager;

/**
 * A part of a step rule that may carry state across iterations; the state goes into checkpoints
 * under keys prefixed with the strategy's name.
 */
public interface StatefulStrategy {
  default void saveState(RuleState out) {}

  default void loadState(RuleState in, NDManager manager) {}
}
