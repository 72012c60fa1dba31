package io.sharpsweep.protocol.api;

import java.util.List;

/**
 * One page of {@code GET /v1/studies/{id}/trials}: the trials (the body), how many trials match the
 * request's filter in all (the {@code X-Total-Count} header), and the id to pass as {@code after}
 * for the next page (from the {@code Link: rel="next"} header; null on the last page).
 */
public record TrialPage(List<TrialView> trials, int total, String nextAfter) {}
