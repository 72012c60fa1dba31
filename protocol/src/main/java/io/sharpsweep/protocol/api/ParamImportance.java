package io.sharpsweep.protocol.api;

import java.util.List;
import java.util.Map;

/**
 * One parameter's share of the objective's variance. {@code condition} is null for a parameter that
 * every trial sets; its importance is then among the other such parameters over all trials. For a
 * conditional parameter (absent from some trials, e.g. {@code rho} of an SGD trial) it is the
 * spec's {@code when}, and the importance is among the parameters set in every trial that sets it,
 * over those trials only. {@code trials} is the number of trials the share was computed on; {@code
 * importance} is null (and {@code note} says why) when they were too few.
 */
public record ParamImportance(
    String param,
    Double importance,
    Double std,
    int trials,
    Map<String, List<Object>> condition,
    String note) {}
