package io.sharpsweep.protocol.space;

import io.sharpsweep.protocol.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a search space; every message names the parameter's path and the rule it breaks. */
final class SpaceValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

  private SpaceValidator() {}

  static List<FieldError> validate(SearchSpace space, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    if (space == null || space.params() == null) {
      errors.add(new FieldError(prefix, "is required: a list of parameters"));
      return errors;
    }
    if (space.params().isEmpty()) {
      errors.add(new FieldError(prefix, "must hold at least one parameter"));
      return errors;
    }
    Map<String, Integer> index = new HashMap<>();
    List<ParamSpec> params = space.params();
    for (int i = 0; i < params.size(); i++) {
      ParamSpec p = params.get(i);
      String at = prefix + "[" + i + "]";
      if (p == null) {
        errors.add(new FieldError(at, "must not be null"));
        continue;
      }
      if (p.name() == null || p.name().isBlank()) {
        errors.add(new FieldError(at + ".name", "is required"));
      } else if (!NAME.matcher(p.name()).matches()) {
        errors.add(
            new FieldError(
                at + ".name",
                "'"
                    + p.name()
                    + "' must start with a letter or '_' and hold only letters, digits, '_', '.', '-'"));
      } else if (index.putIfAbsent(p.name(), i) != null) {
        errors.add(
            new FieldError(
                at + ".name",
                "'"
                    + p.name()
                    + "' is declared twice (first at "
                    + prefix
                    + "["
                    + index.get(p.name())
                    + "])"));
      }
      if (p.type() == null) {
        errors.add(new FieldError(at + ".type", "is required: float, int or categorical"));
        continue;
      }
      switch (p.type()) {
        case FLOAT, INT -> checkNumeric(p, at, errors);
        case CATEGORICAL -> checkCategorical(p, at, errors);
      }
    }
    for (int i = 0; i < params.size(); i++) {
      ParamSpec p = params.get(i);
      if (p != null && p.hasCondition()) {
        checkCondition(p, prefix + "[" + i + "].when", space, index, errors);
      }
    }
    if (errors.isEmpty()) {
      checkCycles(space, prefix, index, errors);
    }
    return errors;
  }

  private static void checkNumeric(ParamSpec p, String at, List<FieldError> errors) {
    if (p.choices() != null) {
      errors.add(new FieldError(at + ".choices", "is only for categorical parameters"));
    }
    boolean ok = true;
    if (p.low() == null) {
      errors.add(
          new FieldError(at + ".low", "is required for a " + p.type().wireName() + " parameter"));
      ok = false;
    } else if (!Double.isFinite(p.low())) {
      errors.add(new FieldError(at + ".low", "must be a finite number"));
      ok = false;
    }
    if (p.high() == null) {
      errors.add(
          new FieldError(at + ".high", "is required for a " + p.type().wireName() + " parameter"));
      ok = false;
    } else if (!Double.isFinite(p.high())) {
      errors.add(new FieldError(at + ".high", "must be a finite number"));
      ok = false;
    }
    if (!ok) {
      return;
    }
    if (p.type() == ParamType.INT) {
      if (!Values.isIntegral(p.low())) {
        errors.add(
            new FieldError(
                at + ".low", "must be an integer for an int parameter (got " + p.low() + ")"));
      }
      if (!Values.isIntegral(p.high())) {
        errors.add(
            new FieldError(
                at + ".high", "must be an integer for an int parameter (got " + p.high() + ")"));
      }
    }
    if (p.low() > p.high()) {
      errors.add(
          new FieldError(
              at + ".low",
              "must be at most high (" + p.low() + " > " + p.high() + ": the range is empty)"));
    } else if (p.logScale() && p.low() <= 0) {
      errors.add(
          new FieldError(at + ".low", "must be positive on a log scale (got " + p.low() + ")"));
    }
  }

  private static void checkCategorical(ParamSpec p, String at, List<FieldError> errors) {
    if (p.low() != null || p.high() != null) {
      errors.add(
          new FieldError(
              at + (p.low() != null ? ".low" : ".high"), "is only for float and int parameters"));
    }
    if (p.logScale()) {
      errors.add(new FieldError(at + ".log", "is only for float and int parameters"));
    }
    if (p.choices() == null || p.choices().isEmpty()) {
      errors.add(new FieldError(at + ".choices", "must hold at least one value"));
      return;
    }
    for (int j = 0; j < p.choices().size(); j++) {
      Object c = p.choices().get(j);
      if (c == null) {
        errors.add(new FieldError(at + ".choices[" + j + "]", "must not be null"));
      } else if (!(c instanceof String || c instanceof Number || c instanceof Boolean)) {
        errors.add(
            new FieldError(at + ".choices[" + j + "]", "must be a string, a number or a boolean"));
      } else if (c instanceof Number n && !Double.isFinite(n.doubleValue())) {
        errors.add(new FieldError(at + ".choices[" + j + "]", "must be finite"));
      } else {
        for (int k = 0; k < j; k++) {
          if (Values.same(p.choices().get(k), c)) {
            errors.add(
                new FieldError(
                    at + ".choices[" + j + "]",
                    "repeats " + c + " (already at choices[" + k + "])"));
            break;
          }
        }
      }
    }
  }

  private static void checkCondition(
      ParamSpec p,
      String at,
      SearchSpace space,
      Map<String, Integer> index,
      List<FieldError> errors) {
    for (Map.Entry<String, List<Object>> c : p.when().entrySet()) {
      String parentName = c.getKey();
      if (parentName == null) {
        errors.add(new FieldError(at, "a parent's name must not be null"));
        continue;
      }
      String field = at + "." + parentName;
      if (parentName.equals(p.name())) {
        errors.add(new FieldError(field, "a parameter cannot depend on itself"));
        continue;
      }
      if (!index.containsKey(parentName)) {
        errors.add(new FieldError(field, "unknown parent parameter '" + parentName + "'"));
        continue;
      }
      ParamSpec parent = space.param(parentName);
      if (parent.type() == ParamType.FLOAT) {
        errors.add(
            new FieldError(
                field, "parent '" + parentName + "' must be categorical or int, not float"));
        continue;
      }
      if (c.getValue() == null || c.getValue().isEmpty()) {
        errors.add(new FieldError(field, "must list at least one value of '" + parentName + "'"));
        continue;
      }
      for (int j = 0; j < c.getValue().size(); j++) {
        Object v = c.getValue().get(j);
        if (v == null) {
          errors.add(new FieldError(field + "[" + j + "]", "must not be null"));
        } else if (hasDomain(parent) && !parent.accepts(v)) {
          errors.add(
              new FieldError(
                  field + "[" + j + "]",
                  "value "
                      + v
                      + " is not a value of '"
                      + parentName
                      + "' ("
                      + SearchSpace.describeDomain(parent)
                      + ")"));
        }
      }
    }
  }

  /**
   * Whether the parent's values are known well enough to check a condition's values against them (a
   * parent without a type or an int parent without bounds has its own error already).
   */
  private static boolean hasDomain(ParamSpec parent) {
    if (parent.type() == null) {
      return false;
    }
    return parent.type() == ParamType.CATEGORICAL
        || (parent.low() != null && parent.high() != null);
  }

  private static void checkCycles(
      SearchSpace space, String prefix, Map<String, Integer> index, List<FieldError> errors) {
    Set<String> finished = new HashSet<>();
    for (ParamSpec p : space.params()) {
      List<String> path = new ArrayList<>();
      if (hasCycle(p.name(), space, finished, new HashSet<>(), path)) {
        errors.add(
            new FieldError(
                prefix + "[" + index.get(p.name()) + "].when",
                "conditions form a cycle: " + String.join(" -> ", path)));
        return;
      }
    }
  }

  private static boolean hasCycle(
      String name, SearchSpace space, Set<String> finished, Set<String> onPath, List<String> path) {
    if (finished.contains(name)) {
      return false;
    }
    path.add(name);
    if (!onPath.add(name)) {
      return true;
    }
    ParamSpec p = space.param(name);
    if (p.hasCondition()) {
      for (String parent : p.when().keySet()) {
        if (hasCycle(parent, space, finished, onPath, path)) {
          return true;
        }
      }
    }
    onPath.remove(name);
    path.remove(path.size() - 1);
    finished.add(name);
    return false;
  }
}
