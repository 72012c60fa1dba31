package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One epoch of one trial, sent once the epoch's checkpoint is written. Identified by (trialId,
 * attempt, epoch): the store keeps the first copy it receives and acknowledges the rest. {@code
 * final} marks the last epoch of the trial.
 *
 * <p>{@code leaseId} names the lease the epoch was trained (or re-sent) under, the fencing token of
 * the report: once that lease has ended without finishing its segment, the store drops its reports
 * of the epochs the segment's next lease trains again, so that every epoch is stored once however
 * late a report arrives. Absent from reports written outside a lease (replays, older workers):
 * those are stored by (trialId, attempt, epoch) alone.
 */
public record EpochReport(
    int schemaVersion,
    String studyId,
    String trialId,
    int attempt,
    int epoch,
    Metrics metrics,
    Cost cost,
    String workerId,
    String checkpointUri,
    @JsonProperty("final") boolean finalEpoch,
    String leaseId)
    implements ReportMessage {

  /** A report written outside a lease. */
  public EpochReport(
      int schemaVersion,
      String studyId,
      String trialId,
      int attempt,
      int epoch,
      Metrics metrics,
      Cost cost,
      String workerId,
      String checkpointUri,
      boolean finalEpoch) {
    this(
        schemaVersion,
        studyId,
        trialId,
        attempt,
        epoch,
        metrics,
        cost,
        workerId,
        checkpointUri,
        finalEpoch,
        null);
  }

  /** This report as sent under {@code lease}. */
  public EpochReport underLease(String lease) {
    return new EpochReport(
        schemaVersion,
        studyId,
        trialId,
        attempt,
        epoch,
        metrics,
        cost,
        workerId,
        checkpointUri,
        finalEpoch,
        lease);
  }
}
