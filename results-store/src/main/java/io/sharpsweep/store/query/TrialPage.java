package io.sharpsweep.store.query;

import java.util.List;

/**
 * One page of {@code GET /v1/studies/{id}/trials}: the trials, how many trials match the request's
 * filter in all, and the id to pass as {@code after} for the next page (null on the last page).
 */
public record TrialPage(List<TrialView> trials, int total, String nextAfter) {}
