package io.sharpsweep.protocol.suggest;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.space.SearchSpace;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.SamplerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/suggest}: a space, the objectives, which sampler with which seed,
 * what has been observed, what is running, and how many configurations to propose.
 */
public record SuggestRequest(
    SearchSpace space,
    List<Objective> objectives,
    SamplerSpec sampler,
    List<Observation> observations,
    List<Pending> pending,
    Integer count) {
  /**
   * The example request of the REST contract in sampler/README.md: a float, an int, a categorical
   * and a conditional parameter, one observation, one pending configuration, two to propose.
   */
  public static final String EXAMPLE =
      """
      {"space": {"params": [
         {"name": "x", "type": "float", "low": -5, "high": 10, "log": false},
         {"name": "n", "type": "int", "low": 1, "high": 8, "log": false},
         {"name": "variant", "type": "categorical", "choices": ["sgd", "sam", "esam"]},
         {"name": "beta", "type": "float", "low": 0.3, "high": 1, "when": {"variant": ["esam"]}}]},
       "objectives": [{"name": "val_accuracy", "goal": "maximize"}],
       "sampler": {"type": "random", "seed": 7, "options": {}},
       "observations": [{"params": {"x": 1.5, "n": 3, "variant": "sgd"}, "values": [0.91]}],
       "pending": [{"params": {"x": 0.2, "n": 2, "variant": "sam"}}],
       "count": 2}\
      """;

  public static final int MAX_COUNT = 1000;

  /**
   * The most suggestions a study asks for in one call: a model-based sampler (gp, parego) refuses
   * more, because each suggestion of a batch maximises the acquisition again. A study that wants
   * more trials at once (its parallelism is larger) asks again for the rest.
   */
  public static final int MAX_COUNT_PER_CALL = 100;

  /** The samplers whose batch costs no more per point than one suggestion: no model to refit. */
  private static final Set<String> MODEL_FREE = Set.of("random", "sobol");

  /**
   * The most suggestions a study asks {@code samplerType} for in one call: {@link #MAX_COUNT} for a
   * model-free sampler (random, sobol), whose batch is drawn at once, so a large fleet gets its
   * first trials in one round; {@link #MAX_COUNT_PER_CALL} for the model-based ones.
   */
  public static int maxCountPerCall(String samplerType) {
    return samplerType != null && MODEL_FREE.contains(samplerType) ? MAX_COUNT : MAX_COUNT_PER_CALL;
  }

  public List<Observation> observationsOrEmpty() {
    return observations == null ? List.of() : observations;
  }

  public List<Pending> pendingOrEmpty() {
    return pending == null ? List.of() : pending;
  }

  public int countOrDefault() {
    return count == null ? 1 : count;
  }

  /**
   * Every rule of the contract that does not depend on the sampler: a valid space, one or more
   * objectives, observations and pending points inside the space, finite objective values, {@code 1
   * ≤ count ≤ 1000}.
   */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (space == null) {
      errors.add(new FieldError("space", "is required"));
    } else {
      errors.addAll(space.validate("space.params"));
    }
    validateObjectives(errors);
    if (sampler == null || sampler.type() == null || sampler.type().isBlank()) {
      errors.add(new FieldError("sampler.type", "is required"));
    }
    if (count != null && (count < 1 || count > MAX_COUNT)) {
      errors.add(new FieldError("count", "must be in [1, " + MAX_COUNT + "], got " + count));
    }
    if (!errors.isEmpty()) {
      return errors; // the points below can only be checked against a valid space
    }
    validateObservations(errors);
    validatePending(errors);
    return errors;
  }

  private void validateObjectives(List<FieldError> errors) {
    if (objectives == null || objectives.isEmpty()) {
      errors.add(new FieldError("objectives", "must hold at least one objective"));
      return;
    }
    for (int i = 0; i < objectives.size(); i++) {
      Objective o = objectives.get(i);
      if (o == null) {
        errors.add(new FieldError("objectives[" + i + "]", "must not be null"));
        continue;
      }
      if (o.name() == null || o.name().isBlank()) {
        errors.add(new FieldError("objectives[" + i + "].name", "is required"));
      }
      if (o.goal() == null) {
        errors.add(
            new FieldError("objectives[" + i + "].goal", "is required: maximize or minimize"));
      }
    }
  }

  /** Each observation's parameters inside the space and one finite value per objective. */
  private void validateObservations(List<FieldError> errors) {
    List<Observation> obs = observationsOrEmpty();
    for (int i = 0; i < obs.size(); i++) {
      Observation o = obs.get(i);
      String at = "observations[" + i + "]";
      if (o == null) {
        errors.add(new FieldError(at, "must not be null"));
        continue;
      }
      errors.addAll(space.checkAssignment(o.params(), at + ".params"));
      validateValues(o.values(), at, errors);
    }
  }

  private void validateValues(List<Double> values, String at, List<FieldError> errors) {
    if (values == null || values.size() != objectives.size()) {
      errors.add(
          new FieldError(
              at + ".values", "must hold " + objectives.size() + " value(s), one per objective"));
      return;
    }
    for (int j = 0; j < values.size(); j++) {
      Double v = values.get(j);
      if (v == null || !Double.isFinite(v)) {
        errors.add(
            new FieldError(
                at + ".values[" + j + "]",
                "must be a finite number (leave failed or NaN trials out)"));
      }
    }
  }

  private void validatePending(List<FieldError> errors) {
    List<Pending> pend = pendingOrEmpty();
    for (int i = 0; i < pend.size(); i++) {
      Pending p = pend.get(i);
      if (p == null) {
        errors.add(new FieldError("pending[" + i + "]", "must not be null"));
      } else {
        errors.addAll(space.checkAssignment(p.params(), "pending[" + i + "].params"));
      }
    }
  }
}
