package io.sharpsweep.worker;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends epoch reports to {@code sharpsweep.reports}, keyed by trialId, each acknowledged by the
 * broker (acks=all): a segment is completed on the store only after its last report is safely
 * stored.
 */
@ApplicationScoped
public class ReportPublisher {
  private final MutinyEmitter<byte[]> reports;
  private final WorkerConfig config;

  @Inject
  public ReportPublisher(@Channel("reports") MutinyEmitter<byte[]> reports, WorkerConfig config) {
    this.reports = reports;
    this.config = config;
  }

  /**
   * Sends the report; the future completes when the broker acknowledged it, or fails with a {@link
   * ReportPublishException} (not acknowledged within {@code report-timeout}).
   */
  public CompletableFuture<Void> send(ReportMessage report) {
    // Encoded through the sealed interface so the record carries its "type" discriminator.
    byte[] payload = Json.encode(report);
    Message<byte[]> message =
        Message.of(payload)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(report.trialId()).build());
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      reports
          .sendMessage(message)
          .ifNoItem()
          .after(config.reportTimeout())
          .fail()
          .subscribe()
          .with(ok -> acked.complete(null), e -> acked.completeExceptionally(failed(report, e)));
    } catch (RuntimeException e) {
      acked.completeExceptionally(failed(report, e));
    }
    return acked;
  }

  private static ReportPublishException failed(ReportMessage report, Throwable e) {
    return new ReportPublishException(
        "report for trial "
            + report.trialId()
            + " was not acknowledged by the broker: "
            + e.getMessage(),
        e);
  }
}
