package io.sharpsweep.protocol.control;

import java.util.List;
import java.util.Map;

/**
 * User → scheduler → store: configurations to try before the sampler is asked, as the next trials
 * of the study, in order. {@code configs} are assignments of the study's search space (validated
 * against it, like a suggestion); {@code preset} names a built-in list instead ({@code papers}: the
 * papers' defaults of each variant the space includes). They count against {@code budget.trials}.
 */
public record EnqueueConfigs(List<Map<String, Object>> configs, String preset) {
  /** The most configurations one call may enqueue. */
  public static final int MAX_CONFIGS = 1_000;
}
