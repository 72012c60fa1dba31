package io.sharpsweep.protocol.suggest;

import java.util.List;

/** {@code 200 {"suggestions": [{"params": {...}}, ...]}}. */
public record SuggestResponse(List<Suggestion> suggestions) {}
