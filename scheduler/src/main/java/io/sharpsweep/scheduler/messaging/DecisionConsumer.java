package io.sharpsweep.scheduler.messaging;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.scheduler.trials.TrialFactory;
import io.sharpsweep.service.messaging.DeadLetterStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The results-store's decisions and progress records, keyed by study id, used only as a wake-up:
 * something changed in that study, so it may want trials. Beyond its study the record's content is
 * not used (the store's suggest context is the truth), but a record is checked before it wakes
 * anything: it must decode as a {@link DecisionMessage} of a known {@code schemaVersion}, name a
 * study id by the id grammar ({@link TrialIds#isStudyId}) and be keyed by it. A record that is not
 * is rejected, which the channel's failure strategy ({@link DeadLetterStrategy}) copies to {@code
 * sharpsweep.dead-letter} with the reason; the channel goes on. {@link TrialFactory#wake} only
 * schedules a fill: no HTTP call runs on the consumer's thread.
 */
@ApplicationScoped
public class DecisionConsumer {
  @Inject TrialFactory factory;

  @Incoming("decisions")
  public void consume(ConsumerRecord<String, byte[]> record) {
    factory.wake(studyOf(record.key(), record.value()));
  }

  /** The study a decisions record wakes, or a {@link MalformedRecordException} saying why none. */
  static String studyOf(String key, byte[] value) {
    DecisionMessage message = Json.decode(value, DecisionMessage.class);
    String kind = message.getClass().getSimpleName();
    int version =
        message instanceof RungDecision d
            ? d.schemaVersion()
            : ((StudyProgress) message).schemaVersion();
    if (version < 1 || version > SchemaVersion.CURRENT) {
      throw new MalformedRecordException(
          "invalid "
              + kind
              + ": schemaVersion: must be 1 to "
              + SchemaVersion.CURRENT
              + " (the versions this scheduler reads), got "
              + version);
    }
    String study = message.studyId();
    if (!TrialIds.isStudyId(study)) {
      throw new MalformedRecordException(
          "invalid " + kind + ": studyId: " + TrialIds.STUDY_ID_RULE);
    }
    if (!study.equals(key)) {
      throw new MalformedRecordException(
          "invalid " + kind + ": the record's key must be its studyId '" + study + "'");
    }
    return study;
  }
}
