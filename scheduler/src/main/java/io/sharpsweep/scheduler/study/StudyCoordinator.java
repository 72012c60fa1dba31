package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyCreated;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.messages.StudyStateChanged.State;
import io.sharpsweep.protocol.messages.TrialCreated;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.StudySpecValidator;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.Pending;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import io.sharpsweep.scheduler.sampler.SamplerRejectedException;
import io.sharpsweep.scheduler.sampler.SamplerUnavailableException;
import io.sharpsweep.scheduler.sampler.SuggestionSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs studies with a plain budget: keeps {@code parallelism} trials in flight, asks the sampler for new
 * configurations as slots free up, retries failed attempts, and ends the study when every trial of the
 * budget is complete or failed. Decisions may arrive more than once (at-least-once delivery); a decision
 * for a trial or attempt that is no longer in flight is ignored.
 */
public final class StudyCoordinator {
  private static final Logger LOG = Logger.getLogger(StudyCoordinator.class.getName());

  private final SuggestionSource sampler;
  private final StudyPublisher publisher;
  private final Clock clock;
  private final Map<String, Study> studies = new ConcurrentHashMap<>();

  public StudyCoordinator(SuggestionSource sampler, StudyPublisher publisher, Clock clock) {
    this.sampler = sampler;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Validates and starts a study; returns it with its first trials already assigned (if the sampler answered). */
  public Study create(StudySpec spec) {
    StudySpecValidator.requireValid(spec);
    long now = clock.millis();
    Study study = new Study(TrialIds.newStudyId(now), spec, now);
    synchronized (study) {
      studies.put(study.id(), study);
      publisher.publish(new StudyCreated(SchemaVersion.CURRENT, study.id(), spec, now));
      fill(study);
    }
    return study;
  }

  public Study get(String studyId) {
    Study s = studies.get(studyId);
    if (s == null) {
      throw new UnknownStudyException(studyId);
    }
    return s;
  }

  public Collection<Study> all() {
    return List.copyOf(studies.values());
  }

  /** Stops assigning new trials; segments already assigned finish and are stored. */
  public Study cancel(String studyId, String reason) {
    Study study = get(studyId);
    synchronized (study) {
      if (study.state() == State.RUNNING) {
        end(study, State.CANCELLED, reason == null ? "cancelled by the user" : reason);
      }
    }
    return study;
  }

  /** Applies a decision of the results-store. Unknown studies (e.g. from before a restart) are logged and skipped. */
  public void onDecision(RungDecision decision) {
    Study study = studies.get(decision.studyId());
    if (study == null) {
      LOG.fine(() -> "decision for unknown study " + decision.studyId() + " ignored");
      return;
    }
    synchronized (study) {
      Study.TrialState trial = study.inFlight().get(decision.trialId());
      if (trial == null || trial.attempt() != decision.attempt()) {
        return; // a duplicate, or a decision about an attempt already superseded
      }
      switch (decision.action()) {
        case COMPLETE -> {
          study.inFlight().remove(trial.trialId());
          study.markCompleted();
          List<Double> values = objectiveValues(study.spec(), decision);
          if (values != null) {
            study.observations().add(new Observation(trial.params(), values));
          }
        }
        case FAILED -> {
          if (trial.attempt() < study.spec().budget().maxAttemptsOrDefault() && study.state() == State.RUNNING) {
            Study.TrialState retry = trial.nextAttempt();
            study.inFlight().put(retry.trialId(), retry);
            publisher.publish(assignment(study, retry));
            return;
          }
          study.inFlight().remove(trial.trialId());
          study.markFailed();
        }
        case PROMOTE, PARK -> {
          // Multi-fidelity decisions come with the successive-halving schedulers; a plain budget never parks.
          return;
        }
      }
      if (study.budgetSpent() && study.state() == State.RUNNING) {
        end(study, State.COMPLETED, null);
      } else {
        fill(study);
      }
    }
  }

  /** Tries again to fill the free slots of every running study (after the sampler was unavailable). */
  public void refillAll() {
    for (Study study : studies.values()) {
      synchronized (study) {
        fill(study);
      }
    }
  }

  private void fill(Study study) {
    int n = study.freeSlots();
    if (n == 0) {
      return;
    }
    StudySpec spec = study.spec();
    List<Pending> pending = study.inFlight().values().stream().map(t -> new Pending(t.params())).toList();
    SuggestRequest request =
        new SuggestRequest(spec.searchSpace(), spec.objectives().stream().map(o -> new Objective(o.name(), o.goal())).toList(), spec.sampler(), List.copyOf(study.observations()), pending, n);
    SuggestResponse response;
    try {
      response = sampler.suggest(request);
    } catch (SamplerUnavailableException e) {
      LOG.log(Level.WARNING, "sampler unavailable for study " + study.id() + ", will retry: " + e.getMessage());
      return;
    } catch (SamplerRejectedException e) {
      end(study, State.FAILED, e.getMessage());
      return;
    }
    for (Suggestion s : response.suggestions().subList(0, Math.min(n, response.suggestions().size()))) {
      int number = study.nextNumber();
      String trialId = TrialIds.trialId(study.id(), number);
      Map<String, Object> config = new LinkedHashMap<>(spec.fixedOrEmpty());
      config.putAll(s.params());
      Study.TrialState trial = new Study.TrialState(trialId, number, Map.copyOf(s.params()), Map.copyOf(config), TrialIds.trialSeed(spec.seedOrDefault(), number), 1);
      study.inFlight().put(trialId, trial);
      publisher.publish(new TrialCreated(SchemaVersion.CURRENT, study.id(), trialId, number, trial.params(), trial.config(), clock.millis()));
      publisher.publish(assignment(study, trial));
    }
  }

  private static SegmentAssignment assignment(Study study, Study.TrialState trial) {
    StudySpec spec = study.spec();
    int epochs = spec.scheduler().maxEpochs();
    return new SegmentAssignment(SchemaVersion.CURRENT, study.id(), trial.trialId(), trial.attempt(), trial.config(), 0, epochs, epochs, null, spec.dataset(), spec.model(), trial.seed());
  }

  private void end(Study study, State state, String reason) {
    study.end(state, reason);
    publisher.publish(new StudyStateChanged(SchemaVersion.CURRENT, study.id(), state, reason, clock.millis()));
    LOG.info(() -> "study " + study.id() + " " + state.wireName() + (reason == null ? "" : ": " + reason));
  }

  /** The decision's value for every objective of the study, or null if one is missing or not finite. */
  static List<Double> objectiveValues(StudySpec spec, RungDecision d) {
    List<Double> values = new ArrayList<>();
    for (Objective o : spec.objectives()) {
      Double v = ObjectiveValues.of(o.name(), d.metrics(), d.cost());
      if (v == null || !Double.isFinite(v)) {
        return null;
      }
      values.add(v);
    }
    return values;
  }

  /** For tests and the status endpoint: the ids of the trials in flight. */
  public List<String> inFlight(String studyId) {
    Study s = get(studyId);
    synchronized (s) {
      return List.copyOf(Objects.requireNonNull(s.inFlight()).keySet());
    }
  }
}
