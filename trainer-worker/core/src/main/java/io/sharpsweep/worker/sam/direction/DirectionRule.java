package io.sharpsweep.worker.sam.direction;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.StatefulStrategy;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.List;

/**
 * The direction rule of the two-pass step (docs/sam-variants.md#strategies): what the base
 * optimizer receives, from pass 1's gradient {@code g} on an ERM step and from {@code g} and pass
 * 2's {@code g_s} on a SAM step. The default is plain SAM: {@code g} on ERM steps, {@code g_s} on
 * SAM steps.
 */
public interface DirectionRule extends StatefulStrategy {
  /** Whether {@link #onSam} reads {@code g} (then the skeleton copies it before pass 2). */
  default boolean needsPass1Gradient() {
    return false;
  }

  default List<NDArray> onErm(TrainingContext ctx, GradientInfo g) {
    return g.gradients();
  }

  /**
   * @param g pass 1's gradient (a copy that survived pass 2) if {@link #needsPass1Gradient()}, else
   *     null
   */
  default List<NDArray> onSam(TrainingContext ctx, GradientInfo g, List<NDArray> gs) {
    return gs;
  }
}
