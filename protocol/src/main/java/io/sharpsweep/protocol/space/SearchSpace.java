package io.sharpsweep.protocol.space;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A search space: parameters, some conditional on others. Construct freely (it is a wire record);
 * call {@link #validate(String)} before using one that came from outside.
 */
public record SearchSpace(List<ParamSpec> params) {

  public SearchSpace {
    // Not List.copyOf, which throws on a null element: a null parameter must reach the validator,
    // which names it (space[0]: must not be null).
    params = params == null ? null : Collections.unmodifiableList(new ArrayList<>(params));
  }

  /**
   * The rules broken by this space, each with its path below {@code prefix} (e.g. {@code
   * space.params}).
   */
  public List<FieldError> validate(String prefix) {
    return SpaceValidator.validate(this, prefix);
  }

  /** Throws a {@link ValidationException} listing every broken rule. */
  public SearchSpace requireValid(String prefix) {
    List<FieldError> errors = validate(prefix);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return this;
  }

  /**
   * The parameter named {@code name}, or null. Safe on a space that has not been validated: null
   * parameters and parameters without a name are skipped.
   */
  @JsonIgnore
  public ParamSpec param(String name) {
    if (params == null || name == null) {
      return null;
    }
    for (ParamSpec p : params) {
      if (p != null && name.equals(p.name())) {
        return p;
      }
    }
    return null;
  }

  /**
   * Parameters in an order where every parent comes before its children (stable otherwise). The
   * space must be valid (no cycles).
   */
  @JsonIgnore
  public List<ParamSpec> topologicalOrder() {
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    params.forEach(p -> byName.put(p.name(), p));
    List<ParamSpec> order = new ArrayList<>();
    Map<String, Boolean> done = new HashMap<>();
    for (ParamSpec p : params) {
      visit(p, byName, done, order);
    }
    return order;
  }

  private static void visit(
      ParamSpec p,
      Map<String, ParamSpec> byName,
      Map<String, Boolean> done,
      List<ParamSpec> order) {
    if (done.containsKey(p.name())) {
      return;
    }
    done.put(p.name(), Boolean.TRUE);
    if (p.hasCondition()) {
      for (String parent : p.when().keySet()) {
        ParamSpec q = byName.get(parent);
        if (q != null) {
          visit(q, byName, done, order);
        }
      }
    }
    order.add(p);
  }

  /**
   * Whether {@code p}'s condition holds for the (partial) assignment. Parents must be assigned
   * first.
   */
  public boolean isActive(ParamSpec p, Map<String, Object> assignment) {
    if (!p.hasCondition()) {
      return true;
    }
    for (Map.Entry<String, List<Object>> c : p.when().entrySet()) {
      Object parentValue = assignment.get(c.getKey());
      if (parentValue == null
          || c.getValue().stream().noneMatch(v -> Values.same(v, parentValue))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rules broken by a full assignment of this space (an observation's or a suggestion's
   * params): every active parameter present with a legal value, no inactive or unknown parameter
   * present.
   */
  public List<FieldError> checkAssignment(Map<String, Object> assignment, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    if (assignment == null) {
      errors.add(new FieldError(prefix, "is required"));
      return errors;
    }
    for (String key : assignment.keySet()) {
      if (param(key) == null) {
        errors.add(new FieldError(prefix + "." + key, "is not a parameter of the space"));
      }
    }
    for (ParamSpec p : topologicalOrder()) {
      Object value = assignment.get(p.name());
      boolean active = isActive(p, assignment);
      String field = prefix + "." + p.name();
      if (active && value == null) {
        errors.add(new FieldError(field, "is required: the parameter is active"));
      } else if (!active && value != null) {
        errors.add(
            new FieldError(field, "must be absent: its condition " + p.when() + " does not hold"));
      } else if (active && !p.accepts(value)) {
        errors.add(
            new FieldError(
                field, "value " + value + " is outside the space (" + describeDomain(p) + ")"));
      }
    }
    return errors;
  }

  static String describeDomain(ParamSpec p) {
    return switch (p.type()) {
      case FLOAT -> "a float in [" + p.low() + ", " + p.high() + "]";
      case INT -> "an integer in [" + p.low().longValue() + ", " + p.high().longValue() + "]";
      case CATEGORICAL -> "one of " + p.choices();
    };
  }
}
