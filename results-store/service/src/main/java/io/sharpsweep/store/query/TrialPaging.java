package io.sharpsweep.store.query;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.api.TrialEpochs;
import io.sharpsweep.store.db.TrialState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The query parameters of {@code GET /v1/studies/{id}/trials}, checked: {@code limit} (1 to {@value
 * #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), {@code after} (the id of the last trial of the
 * previous page), {@code state} (one of the trial states, or all) and {@code epochs} ({@code all},
 * {@code last} or {@code none}). A bad value is a 400 naming the parameter and its rule.
 */
public record TrialPaging(int limit, String after, TrialState state, TrialEpochs epochs) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** Every trial with every epoch, in one page as large as allowed (for in-process callers). */
  public static TrialPaging first(int limit) {
    return new TrialPaging(limit, null, null, TrialEpochs.ALL);
  }

  public static TrialPaging parse(String limit, String after, String state, String epochs) {
    return new TrialPaging(limit(limit), blankToNull(after), state(state), epochs(epochs));
  }

  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ValidationException(
          "limit", "must be an integer from 1 to " + MAX_LIMIT + ", got '" + value + "'");
    }
    if (n < 1 || n > MAX_LIMIT) {
      throw new ValidationException(
          "limit", "must be an integer from 1 to " + MAX_LIMIT + ", got " + n);
    }
    return n;
  }

  private static TrialState state(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    List<String> names = Arrays.stream(TrialState.values()).map(TrialState::wireName).toList();
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!names.contains(v)) {
      throw new ValidationException(
          "state", "unknown trial state '" + value + "': one of " + names);
    }
    return TrialState.fromWire(v);
  }

  private static TrialEpochs epochs(String value) {
    if (value == null || value.isBlank()) {
      return TrialEpochs.ALL;
    }
    for (TrialEpochs e : TrialEpochs.values()) {
      if (e.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new ValidationException(
        "epochs",
        "unknown value '"
            + value
            + "': one of "
            + Arrays.stream(TrialEpochs.values()).map(TrialEpochs::wireName).toList());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
