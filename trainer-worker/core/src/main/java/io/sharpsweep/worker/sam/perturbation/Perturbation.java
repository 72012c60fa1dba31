package io.sharpsweep.worker.sam.perturbation;

import ai.djl.ndarray.NDArray;
import io.sharpsweep.worker.sam.GradientInfo;
import io.sharpsweep.worker.sam.StatefulStrategy;
import io.sharpsweep.worker.sam.TrainingContext;
import java.util.List;

/**
 * The perturbation of the two-pass step (docs/sam-variants.md#strategies): the ascent step {@code
 * e} from pass 1's gradient (and the weights). Implementations compute {@code e} only; the skeleton
 * saves, perturbs and restores.
 */
public interface Perturbation extends StatefulStrategy {
  /** ε_n, added to every normalising norm (docs/sam-variants.md#the-two-pass-step). */
  double NORM_EPSILON = 1e-12;

  /** Below this squared norm ({@code ‖g‖ < 1e-30}) there is no direction: an ERM step instead. */
  double ZERO_SQUARED_NORM = 1e-60;

  /**
   * Tensors to leave out of pass 1's backward (ESAM's stochastic weight perturbation), or null for
   * none. Called once per iteration, before pass 1.
   */
  default boolean[] excludeFromPass1(TrainingContext ctx) {
    return null;
  }

  /**
   * {@code e} per tensor (null where a tensor is not perturbed), in the step's manager; or null if
   * the gradient is zero (the iteration becomes an ERM step).
   */
  List<NDArray> compute(TrainingContext ctx, GradientInfo g);
}
