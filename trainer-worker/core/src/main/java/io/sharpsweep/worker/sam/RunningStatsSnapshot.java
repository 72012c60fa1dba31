package io.sharpsweep.worker.sam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * Saved values of the batch-norm running mean/variance (parameters without gradient), taken before
 * a forward pass that must not move them (SAM's second pass;
 * docs/sam-variants.md#the-two-pass-step, invariant 5). {@link #restore()} copies the values back
 * into the same arrays, exactly.
 */
public final class RunningStatsSnapshot {
  private static final NDIndex ALL = new NDIndex("...");
  private final List<NDArray> live;
  private final List<NDArray> saved;

  /**
   * @param live the running-statistics arrays; copies are made in their current managers' step
   *     scope
   */
  public RunningStatsSnapshot(List<NDArray> live, List<NDArray> saved) {
    if (live.size() != saved.size()) {
      throw new IllegalArgumentException(live.size() + " arrays but " + saved.size() + " copies");
    }
    this.live = live;
    this.saved = saved;
  }

  public int size() {
    return live.size();
  }

  public void restore() {
    for (int i = 0; i < live.size(); i++) {
      live.get(i).set(ALL, saved.get(i));
    }
  }
}
