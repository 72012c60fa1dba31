package io.sharpsweep.protocol.fidelity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schedules SharpSweep offers, by the name a study spec gives in {@code scheduler.type}. The
 * spec's validation, the rung ladder, the store and the curves benchmark all look schedules up
 * here, so a new schedule is one line in {@link #register}'s list below.
 */
public final class Schedules {
  private static final Map<String, Schedule> BY_TYPE =
      register(
          new SingleRung(),
          new SuccessiveHalving(),
          new AsyncSuccessiveHalving(),
          new Hyperband(),
          new Bohb(),
          new MultiObjectiveAsha());

  private Schedules() {}

  private static Map<String, Schedule> register(Schedule... schedules) {
    Map<String, Schedule> out = new LinkedHashMap<>();
    for (Schedule s : schedules) {
      if (out.putIfAbsent(s.type(), s) != null) {
        throw new IllegalStateException("scheduler type '" + s.type() + "' is registered twice");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The registered type names, in registration order. */
  public static Set<String> types() {
    return BY_TYPE.keySet();
  }

  public static Optional<Schedule> find(String type) {
    return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
  }

  /**
   * @throws IllegalArgumentException for a type that is not registered
   */
  public static Schedule of(String type) {
    return find(type)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown scheduler '" + type + "': one of " + types()));
  }
}
