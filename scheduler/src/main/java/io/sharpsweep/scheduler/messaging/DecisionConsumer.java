package io.sharpsweep.scheduler.messaging;

import io.sharpsweep.scheduler.trials.TrialFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The results-store's decisions and progress records, keyed by study id, used only as a wake-up:
 * something changed in that study, so it may want trials. The record's content is not read (the
 * store's suggest context is the truth), so no record can fail this consumer. {@link
 * TrialFactory#wake} only schedules a fill: no HTTP call runs on the consumer's thread.
 */
@ApplicationScoped
public class DecisionConsumer {
  @Inject TrialFactory factory;

  @Incoming("decisions")
  public void consume(ConsumerRecord<String, byte[]> record) {
    factory.wake(record.key());
  }
}
