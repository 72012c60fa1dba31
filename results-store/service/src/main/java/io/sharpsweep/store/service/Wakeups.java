package io.sharpsweep.store.service;

import io.quarkus.runtime.ShutdownEvent;
import io.sharpsweep.store.ingest.DecisionPublisher;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Publishes, off the caller's thread, what a control call committed: the study's unpublished
 * decisions and a {@code StudyProgress} wake-up for the scheduler. Calls for one study coalesce; a
 * failed publication is logged and left to the reaper's outbox sweep (the scheduler polls too).
 */
@Singleton
public class Wakeups {
  private static final Logger LOG = Logger.getLogger(Wakeups.class);

  private final DecisionPublisher publisher;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sharpsweep-wakeups");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> pending = new LinkedHashSet<>();

  @Inject
  public Wakeups(DecisionPublisher publisher) {
    this.publisher = publisher;
  }

  /** A study's segments or state changed: tell the scheduler soon. */
  public void studyChanged(String studyId) {
    synchronized (pending) {
      if (!pending.add(studyId)) {
        return;
      }
    }
    executor.execute(() -> publish(studyId));
  }

  private void publish(String studyId) {
    synchronized (pending) {
      pending.remove(studyId);
    }
    try {
      publisher.publishPending(studyId, true);
    } catch (RuntimeException e) {
      LOG.warnf(
          "wake-up of study %s not published (%s); the scheduler polls", studyId, e.getMessage());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    executor.shutdownNow();
  }
}
