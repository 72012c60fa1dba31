package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a step of a valid record's ingestion until it succeeds, backing off between tries (database
 * down, broker unreachable for the decisions): a valid record is never dead-lettered for a
 * transient problem, and its offset is not committed before its transaction is. Only a record the
 * rules reject ({@link MalformedRecordException}, {@link ValidationException}) fails at once.
 */
final class Retrying {
  private static final Logger LOG = Logger.getLogger(Retrying.class);

  private final Duration first;
  private final Duration max;

  Retrying(Duration first, Duration max) {
    this.first = first;
    this.max = max;
  }

  <T> T run(String what, Supplier<T> step) {
    long delay = first.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return step.get();
      } catch (MalformedRecordException | ValidationException e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.warnf(
            "%s failed (try %d), retrying in %d ms: %s", what, attempt, delay, e.getMessage());
        sleep(delay, e);
        delay = Math.min(max.toMillis(), delay * 2);
      }
    }
  }

  private static void sleep(long millis, RuntimeException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
