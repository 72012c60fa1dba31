package io.sharpsweep.protocol.control;

import java.util.List;
import java.util.Map;

/**
 * The answer to an {@link EnqueueConfigs}: the configurations enqueued by this call, how many of
 * the study's enqueued configurations still wait for a free slot ({@code waiting}; the others are
 * trials already), and the study's status.
 */
public record EnqueuedConfigs(List<Map<String, Object>> enqueued, int waiting, StudyStatus study) {}
