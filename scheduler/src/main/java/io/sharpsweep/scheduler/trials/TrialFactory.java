package io.sharpsweep.scheduler.trials;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.SuggestContext;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import io.sharpsweep.scheduler.control.ControlClient;
import io.sharpsweep.scheduler.control.ControlException;
import io.sharpsweep.scheduler.control.StoreUnavailableException;
import io.sharpsweep.scheduler.sampler.SamplerRejectedException;
import io.sharpsweep.scheduler.sampler.SamplerUnavailableException;
import io.sharpsweep.scheduler.sampler.SuggestionSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Turns "study S wants trials" (durable, decided by the results-store) into trials: asks the store
 * for the study's suggest context, asks the sampler for that many configurations, and posts them to
 * the store numbered from the context's {@code firstNumber}. It keeps nothing that matters: the
 * store accepts new trials only when {@code firstNumber} is the study's next number (409
 * otherwise), so two factories (two scheduler replicas), or a factory restarted halfway through,
 * never create the same trial twice; a conflict just drops the answer and the next wake-up tries
 * again from the store's fresh context.
 *
 * <p>{@link #wake} may be called from any thread (a Kafka consumer, a REST request, the ticker): it
 * only schedules a fill on the factory's executor and never blocks. At most one fill per study runs
 * at a time; a wake-up that arrives during a fill runs that study's fill once more after it, so no
 * wake-up is lost. Failures are retried at the next wake-up: an unreachable sampler or store is
 * logged; a sampler that rejects the study's request (400) fails the study in the store with the
 * sampler's reason.
 */
public final class TrialFactory {
  private static final Logger LOG = Logger.getLogger(TrialFactory.class.getName());

  /** Bound on the fills run back to back for one wake-up while the store still wants trials. */
  static final int MAX_ROUNDS_PER_WAKE = 16;

  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int RUNNING_AGAIN = 2;

  private final ControlClient store;
  private final SuggestionSource sampler;
  private final Executor executor;
  private final Map<String, AtomicInteger> flights = new ConcurrentHashMap<>();
  private final AtomicLong trialsCreated = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong studiesFailed = new AtomicLong();

  /** What one fill did. */
  public enum Outcome {
    /** Trials were created. */
    CREATED,
    /** The study wants no trial now (or the sampler proposed none). */
    NOTHING_WANTED,
    /** Another replica (or a previous run) created those numbers first; the answer was dropped. */
    CONFLICT,
    /** The sampler rejected the request; the study was failed. */
    STUDY_FAILED,
    /** The sampler or the store could not be reached, or the store refused; retried later. */
    RETRY_LATER
  }

  public TrialFactory(ControlClient store, SuggestionSource sampler, Executor executor) {
    this.store = store;
    this.sampler = sampler;
    this.executor = executor;
  }

  /** Schedules a fill of {@code studyId} on the executor; returns at once. */
  public void wake(String studyId) {
    if (studyId == null || studyId.isBlank()) {
      return;
    }
    AtomicInteger state = flights.computeIfAbsent(studyId, k -> new AtomicInteger(IDLE));
    while (true) {
      int s = state.get();
      if (s == IDLE) {
        if (state.compareAndSet(IDLE, RUNNING)) {
          submit(studyId, state);
          return;
        }
      } else if (s == RUNNING) {
        if (state.compareAndSet(RUNNING, RUNNING_AGAIN)) {
          return;
        }
      } else {
        return; // a fill will run again after the current one
      }
    }
  }

  /**
   * Asks the store which studies want trials and wakes each. Blocks on one HTTP call: for the
   * ticker's thread, not a consumer's.
   */
  public void tick() {
    List<String> ids;
    try {
      ids = store.wanting();
    } catch (StoreUnavailableException | ControlException e) {
      LOG.log(Level.FINE, "cannot list the studies that want trials: {0}", e.getMessage());
      return;
    }
    ids.forEach(this::wake);
  }

  private void submit(String studyId, AtomicInteger state) {
    try {
      executor.execute(() -> run(studyId, state));
    } catch (RejectedExecutionException e) {
      state.set(IDLE); // shutting down
    }
  }

  private void run(String studyId, AtomicInteger state) {
    while (true) {
      try {
        fill(studyId);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "filling study " + studyId + " failed; retried later", e);
      }
      if (state.compareAndSet(RUNNING, IDLE)) {
        return;
      }
      state.set(RUNNING); // woken during the fill: once more
    }
  }

  /**
   * Fills the study until the store wants no more trials now, or something must wait for the next
   * wake-up. Runs on the calling thread (the executor's, or a test's).
   */
  public Outcome fill(String studyId) {
    Outcome last = Outcome.NOTHING_WANTED;
    for (int round = 0; round < MAX_ROUNDS_PER_WAKE; round++) {
      last = fillOnce(studyId);
      if (last != Outcome.CREATED) {
        return last;
      }
    }
    return last;
  }

  /** One round: suggest context → sampler → new trials. */
  public Outcome fillOnce(String studyId) {
    SuggestContext context;
    try {
      var answer = store.suggestContext(studyId);
      if (answer.isEmpty()) {
        return Outcome.NOTHING_WANTED;
      }
      context = answer.get();
    } catch (ControlException.NotFound e) {
      return Outcome.NOTHING_WANTED;
    } catch (StoreUnavailableException | ControlException e) {
      LOG.log(
          Level.INFO, "study {0}: no suggest context: {1}", new Object[] {studyId, e.getMessage()});
      return Outcome.RETRY_LATER;
    }
    int wanted = context.request() == null ? 0 : context.request().countOrDefault();
    if (wanted <= 0) {
      return Outcome.NOTHING_WANTED;
    }
    SuggestResponse response;
    try {
      response = sampler.suggest(context.request());
    } catch (SamplerUnavailableException e) {
      LOG.log(
          Level.INFO,
          "study {0}: {1}; retried at the next tick",
          new Object[] {studyId, e.getMessage()});
      return Outcome.RETRY_LATER;
    } catch (SamplerRejectedException e) {
      return failStudy(studyId, e.errors());
    }
    List<Map<String, Object>> params = new ArrayList<>();
    for (Suggestion s :
        response.suggestions() == null ? List.<Suggestion>of() : response.suggestions()) {
      if (params.size() == wanted) {
        break;
      }
      if (s != null && s.params() != null) {
        params.add(s.params());
      }
    }
    if (params.isEmpty()) {
      LOG.warning("study " + studyId + ": the sampler proposed no configuration");
      return Outcome.RETRY_LATER;
    }
    try {
      store.createTrials(studyId, new NewTrials(context.firstNumber(), params));
    } catch (ControlException.Conflict e) {
      conflicts.incrementAndGet();
      LOG.log(
          Level.FINE,
          "study {0}: trials from {1} were created elsewhere first; answer dropped",
          new Object[] {studyId, context.firstNumber()});
      return Outcome.CONFLICT;
    } catch (ControlException.NotFound e) {
      return Outcome.NOTHING_WANTED;
    } catch (StoreUnavailableException | ControlException e) {
      LOG.log(
          Level.INFO, "study {0}: trials not created: {1}", new Object[] {studyId, e.getMessage()});
      return Outcome.RETRY_LATER;
    }
    trialsCreated.addAndGet(params.size());
    return Outcome.CREATED;
  }

  private Outcome failStudy(String studyId, List<FieldError> errors) {
    String reason =
        "the sampler rejected the study: "
            + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    try {
      store.fail(studyId, new EndStudy(reason));
    } catch (StoreUnavailableException | ControlException e) {
      LOG.log(
          Level.INFO,
          "study {0}: cannot record its failure: {1}",
          new Object[] {studyId, e.getMessage()});
      return Outcome.RETRY_LATER;
    }
    studiesFailed.incrementAndGet();
    LOG.warning("study " + studyId + " failed: " + reason);
    return Outcome.STUDY_FAILED;
  }

  /** Trials this factory created (accepted by the store). */
  public long trialsCreated() {
    return trialsCreated.get();
  }

  /** Answers dropped because another factory created those trial numbers first. */
  public long conflicts() {
    return conflicts.get();
  }

  /** Studies failed because their sampler rejected them. */
  public long studiesFailed() {
    return studiesFailed.get();
  }
}
