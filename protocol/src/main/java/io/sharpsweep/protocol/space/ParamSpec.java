package io.sharpsweep.protocol.space;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One parameter of a search space.
 *
 * <ul>
 *   <li>{@code float}: {@code low ≤ x ≤ high}, optionally on a log scale ({@code log: true}, needs
 *       {@code low > 0});
 *   <li>{@code int}: integers in {@code [low, high]}, optionally on a log scale;
 *   <li>{@code categorical}: one of {@code choices} (strings, numbers or booleans).
 * </ul>
 *
 * <p>{@code when} makes the parameter conditional: it is active exactly when, for every listed
 * parent, the parent is active and its value is one of the listed values ({@code when: {variant:
 * [esam]}}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParamSpec(
    String name,
    ParamType type,
    Double low,
    Double high,
    Boolean log,
    List<Object> choices,
    Map<String, List<Object>> when) {

  public static ParamSpec floatParam(String name, double low, double high, boolean log) {
    return new ParamSpec(name, ParamType.FLOAT, low, high, log, null, null);
  }

  public static ParamSpec intParam(String name, long low, long high, boolean log) {
    return new ParamSpec(name, ParamType.INT, (double) low, (double) high, log, null, null);
  }

  public static ParamSpec categorical(String name, List<Object> choices) {
    return new ParamSpec(name, ParamType.CATEGORICAL, null, null, null, List.copyOf(choices), null);
  }

  public ParamSpec when(Map<String, List<Object>> condition) {
    return new ParamSpec(name, type, low, high, log, choices, condition);
  }

  public boolean logScale() {
    return Boolean.TRUE.equals(log);
  }

  public boolean hasCondition() {
    return when != null && !when.isEmpty();
  }

  /** Whether {@code value} is a legal value of this parameter (type, bounds, choices). */
  public boolean accepts(Object value) {
    if (value == null) {
      return false;
    }
    return switch (type) {
      case FLOAT ->
          value instanceof Number n
              && Double.isFinite(n.doubleValue())
              && n.doubleValue() >= low
              && n.doubleValue() <= high;
      case INT ->
          Values.isIntegral(value)
              && ((Number) value).doubleValue() >= low
              && ((Number) value).doubleValue() <= high;
      case CATEGORICAL -> indexOfChoice(value) >= 0;
    };
  }

  /** Index of {@code value} among the choices (numbers compare by value), or -1. */
  public int indexOfChoice(Object value) {
    if (choices == null) {
      return -1;
    }
    for (int i = 0; i < choices.size(); i++) {
      if (Values.same(choices.get(i), value)) {
        return i;
      }
    }
    return -1;
  }
}
