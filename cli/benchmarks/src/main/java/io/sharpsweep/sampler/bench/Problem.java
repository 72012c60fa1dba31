package io.sharpsweep.sampler.bench;

import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Objective;
import java.util.List;
import java.util.Map;

/**
 * A benchmark problem: a space, its objectives and a noise-free function to evaluate. The extension
 * point of the benchmark: a single-objective problem states its optimum {@code f*} (the benchmark
 * reports simple regret, best value found minus {@code f*}), a multi-objective one its reference
 * point (the benchmark reports the hypervolume of what was found). Problems whose trials have a
 * cost (learning curves for the multi-fidelity schedulers) implement this too and add their own
 * measures.
 */
public interface Problem {

  /** The name {@code --problem} selects it by. */
  String name();

  SearchSpace space();

  /** The objectives, in the order {@link #evaluate} returns their values. */
  List<Objective> objectives();

  /** The objective values of a legal assignment of {@link #space()}. */
  double[] evaluate(Map<String, Object> params);

  /** {@code f*}, the best value of the single objective (minimised), or null if multi-objective. */
  default Double optimum() {
    return null;
  }

  /**
   * The hypervolume reference point in objective units (every objective minimised), or null if
   * single-objective.
   */
  default double[] referencePoint() {
    return null;
  }

  /** The hypervolume of the true Pareto front, if known (for the report), else null. */
  default Double optimalHypervolume() {
    return null;
  }
}
