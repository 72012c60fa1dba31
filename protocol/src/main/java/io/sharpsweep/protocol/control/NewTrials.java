package io.sharpsweep.protocol.control;

import java.util.List;
import java.util.Map;

/**
 * Scheduler → store: the sampler's configurations for trials {@code firstNumber}, {@code
 * firstNumber + 1}, … Accepted only when {@code firstNumber} is the study's next trial number (409
 * otherwise: another scheduler replica was first), so two replicas never create the same trial
 * twice.
 */
public record NewTrials(int firstNumber, List<Map<String, Object>> params) {}
