package io.sharpsweep.scheduler.messaging;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.DecisionMessage;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.StudyProgress;
import io.sharpsweep.scheduler.study.StudyCoordinator;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows the results-store's decisions. A record that cannot be decoded fails this method, and the
 * channel's dead-letter strategy moves it to {@code sharpsweep.dead-letter}; consumption goes on.
 */
@ApplicationScoped
public class DecisionConsumer {
  private static final Logger LOG = Logger.getLogger(DecisionConsumer.class);

  @Inject StudyCoordinator coordinator;

  @Incoming("decisions")
  @Blocking(ordered = true)
  public void consume(byte[] payload) {
    DecisionMessage message = Json.decode(payload, DecisionMessage.class);
    if (message instanceof RungDecision decision) {
      if (decision.trialId() == null || decision.action() == null) {
        throw new IllegalArgumentException("rung decision without trialId or action");
      }
      coordinator.onDecision(decision);
    } else if (message instanceof StudyProgress progress) {
      LOG.debugf(
          "study %s: %d running, %d completed, %d failed",
          progress.studyId(),
          progress.trialsRunning(),
          progress.trialsCompleted(),
          progress.trialsFailed());
    }
  }
}
