package io.sharpsweep.protocol.control;

/**
 * The results-store's control endpoints, named once. The scheduler uses the {@code studies} ones;
 * trainer-workers use the {@code leases} ones.
 *
 * <pre>
 * POST /v1/control/studies                      CreateStudy      → 201 StudyStatus (200 if the id exists with the same spec)
 * GET  /v1/control/studies                                       → 200 [StudyStatus]
 * GET  /v1/control/studies/{id}                                  → 200 StudyStatus | 404
 * POST /v1/control/studies/{id}/cancel          EndStudy         → 200 StudyStatus
 * POST /v1/control/studies/{id}/fail            EndStudy         → 200 StudyStatus
 * POST /v1/control/studies/{id}/pause                            → 200 StudyStatus (state paused) | 409 (not running)
 * POST /v1/control/studies/{id}/resume                           → 200 StudyStatus | 409 (not running)
 * POST /v1/control/studies/{id}/extend          ExtendStudy      → 200 StudyStatus | 400 (trials, maxEpochs) | 409 (cancelled, failed)
 * POST /v1/control/studies/{id}/enqueue         EnqueueConfigs   → 200 EnqueuedConfigs | 400 (configs[i].param, preset) | 409 (not running, no room in the budget)
 * GET  /v1/control/studies/{id}/suggest-context                  → 200 SuggestContext | 204 (no trial wanted now); enqueued configurations become trials first
 * POST /v1/control/studies/{id}/trials          NewTrials        → 201 StudyStatus | 409 (firstNumber is not the next number)
 * GET  /v1/control/wanting                                       → 200 [study ids that want new trials now]
 * GET  /v1/control/queue                                         → 200 QueueDepth (for autoscalers)
 * POST /v1/leases                               LeaseRequest     → 200 Lease | 204 (nothing to do within waitSeconds)
 *      {…, ahead: true}                          LeaseRequest     → 200 Lease | 204 (an idle worker waits, or nothing is left over: never waits)
 * POST /v1/leases/{leaseId}/heartbeat           Heartbeat        → 200 LeaseRenewal | 409 (lease lost: stop training)
 * POST /v1/leases/{leaseId}/complete            LeaseEnd         → 204 (the segment's reports are all acknowledged by Kafka)
 *      …/complete?nextWaitSeconds=N              LeaseEnd         → 200 Lease (the worker's next segment) | 204 (none within N s)
 * POST /v1/leases/{leaseId}/release             LeaseEnd         → 204 (handed back unfinished: re-queued now, no attempt charged)
 * POST /v1/leases/{leaseId}/fail                LeaseEnd         → 204 (the segment failed: charged to the trial's attempts)
 * </pre>
 */
public final class ControlPaths {
  public static final String STUDIES = "/v1/control/studies";
  public static final String WANTING = "/v1/control/wanting";
  public static final String QUEUE = "/v1/control/queue";
  public static final String LEASES = "/v1/leases";

  /**
   * The query parameter of {@code complete} that asks for the worker's next lease in the same
   * request, waiting up to that many seconds (as {@link LeaseRequest#waitSeconds()}).
   */
  public static final String NEXT_WAIT_SECONDS = "nextWaitSeconds";

  private ControlPaths() {}
}
