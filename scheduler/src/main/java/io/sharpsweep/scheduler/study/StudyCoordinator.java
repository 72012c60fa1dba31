package io.sharpsweep.scheduler.study;

import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyCreated;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.messages.StudyStateChanged.State;
import io.sharpsweep.protocol.messages.TrialCreated;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.ObjectiveValues;
import io.sharpsweep.protocol.study.SamplerSpec;
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
 * Runs studies: keeps {@code parallelism} segments in flight, follows the results-store's
 * decisions, asks the sampler for new configurations as slots free up, retries failed attempts, and
 * ends the study when it is over.
 *
 * <p>Decisions, in the order the store publishes them (a report's promotions before the decision
 * about the reporting trial): {@code promote} queues the next segment of the trial (same attempt,
 * from the rung's epoch to {@code toEpoch}, from the decision's checkpoint); {@code park} and
 * {@code complete} end the trial's segment; a {@code failed} segment is retried as the next attempt
 * from the same start checkpoint, or ends the trial once its attempts are spent. A freed slot goes
 * to the waiting promotion of the highest rung first, else to a new configuration (its first
 * segment ends at its bracket's first rung, {@link FidelityLadder}) while the budget of
 * configurations lasts. The study completes when every configuration of the budget was created, no
 * segment is in flight and no promotion waits: the scheduler infers the end, the store sends no
 * "study over" decision.
 *
 * <p>Decisions arrive at least once: each is applied once (by trial, attempt, epoch and action),
 * and one about a segment that is not in flight is ignored. The sampler learns from one rung: the
 * highest with at least {@code 10·(d + 1)} observations, else the fullest ({@link
 * FidelityLadder#modelRung}, BOHB's rule sized for TPE; for {@code none}, the completed trials).
 * The rule is the same for every multi-fidelity scheduler, so TPE + ASHA and {@code hyperband} with
 * TPE learn like {@code bohb}.
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

  /**
   * Validates and starts a study; returns it with its first trials already assigned (if the sampler
   * answered).
   */
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

  /** Stops assigning new trials and promotions; segments already assigned finish and are stored. */
  public Study cancel(String studyId, String reason) {
    Study study = get(studyId);
    synchronized (study) {
      if (study.state() == State.RUNNING) {
        end(study, State.CANCELLED, reason == null ? "cancelled by the user" : reason);
      }
    }
    return study;
  }

  /**
   * Applies a decision of the results-store. Unknown studies (e.g. from before a restart) are
   * logged and skipped.
   */
  public void onDecision(RungDecision decision) {
    Study study = studies.get(decision.studyId());
    if (study == null) {
      LOG.fine(() -> "decision for unknown study " + decision.studyId() + " ignored");
      return;
    }
    synchronized (study) {
      Study.TrialState trial = study.trials().get(decision.trialId());
      String key =
          decision.trialId()
              + "#"
              + decision.attempt()
              + "#"
              + decision.epoch()
              + "#"
              + decision.action().wireName();
      if (trial == null || !study.firstTime(key)) {
        return; // a trial of another scheduler, or a duplicate
      }
      observe(study, trial, decision);
      Study.Segment segment = study.inFlight().get(trial.trialId());
      boolean sameAttempt = segment != null && segment.attempt() == decision.attempt();
      boolean ended = sameAttempt && segment.toEpoch() == decision.epoch();
      switch (decision.action()) {
        case PROMOTE -> {
          if (segment != null && !ended) {
            return; // the trial is already training another segment: a stale promotion
          }
          if (decision.toEpoch() == null || decision.toEpoch() <= decision.epoch()) {
            LOG.warning(
                "promotion of "
                    + trial.trialId()
                    + " without a next epoch above "
                    + decision.epoch()
                    + " ignored");
            return;
          }
          leaveFlight(study, trial.trialId());
          study.parkedTrials().remove(trial.trialId());
          study
              .waitingPromotions()
              .add(
                  new Study.Segment(
                      trial,
                      decision.attempt(),
                      decision.epoch(),
                      decision.toEpoch(),
                      decision.checkpointUri(),
                      decision.rung(),
                      study.nextOrder()));
        }
        case PARK -> {
          if (!ended) {
            return;
          }
          leaveFlight(study, trial.trialId());
          study.parkedTrials().put(trial.trialId(), decision.rung());
        }
        case COMPLETE -> {
          if (!sameAttempt) {
            return; // a duplicate, or a decision about an attempt already superseded
          }
          leaveFlight(study, trial.trialId());
          study.markCompleted();
        }
        case FAILED -> {
          if (!sameAttempt) {
            return;
          }
          if (segment.attempt() < study.spec().budget().maxAttemptsOrDefault()
              && study.state() == State.RUNNING) {
            Study.Segment retry = segment.nextAttempt();
            study.inFlight().put(trial.trialId(), retry);
            publisher.publish(assignment(study, retry));
            return;
          }
          leaveFlight(study, trial.trialId());
          study.markFailed();
        }
      }
      fill(study);
      if (study.state() == State.RUNNING && study.finished()) {
        end(study, State.COMPLETED, null);
      }
    }
  }

  /**
   * A trial's segment is over (promoted, parked, complete or finally failed): its worker slot is
   * free.
   */
  private void leaveFlight(Study study, String trialId) {
    study.inFlight().remove(trialId);
    publisher.released(trialId);
  }

  /**
   * Tries again to fill the free slots of every running study (after the sampler was unavailable).
   */
  public void refillAll() {
    for (Study study : studies.values()) {
      synchronized (study) {
        fill(study);
      }
    }
  }

  /**
   * Free slots go to waiting promotions (highest rung first), then to new configurations while the
   * budget lasts.
   */
  private void fill(Study study) {
    while (study.hasFreeSlot() && !study.waitingPromotions().isEmpty()) {
      Study.Segment next = study.waitingPromotions().poll();
      study.inFlight().put(next.trial().trialId(), next);
      publisher.publish(assignment(study, next));
    }
    int n = study.freeSlotsForNewTrials();
    if (n == 0) {
      return;
    }
    StudySpec spec = study.spec();
    FidelityLadder ladder = study.ladder();
    List<Pending> pending =
        study.inFlight().values().stream().map(t -> new Pending(t.trial().params())).toList();
    // One rung's observations: their count can go down when the rung moves up, so the seed is keyed
    // by the
    // configurations created so far (SamplerSpec#reseeded) to never replay the sampler's draws.
    SamplerSpec samplerSpec =
        ladder.multiFidelity() ? spec.sampler().reseeded(study.created()) : spec.sampler();
    SuggestRequest request =
        new SuggestRequest(
            spec.searchSpace(),
            spec.objectives().stream().map(o -> new Objective(o.name(), o.goal())).toList(),
            samplerSpec,
            modelObservations(study),
            pending,
            n);
    SuggestResponse response;
    try {
      response = sampler.suggest(request);
    } catch (SamplerUnavailableException e) {
      LOG.log(
          Level.WARNING,
          "sampler unavailable for study " + study.id() + ", will retry: " + e.getMessage());
      return;
    } catch (SamplerRejectedException e) {
      end(study, State.FAILED, e.getMessage());
      return;
    }
    for (Suggestion s :
        response.suggestions().subList(0, Math.min(n, response.suggestions().size()))) {
      int number = study.nextNumber();
      String trialId = TrialIds.trialId(study.id(), number);
      Map<String, Object> config = new LinkedHashMap<>(spec.fixedOrEmpty());
      config.putAll(s.params());
      Study.TrialState trial =
          new Study.TrialState(
              trialId,
              number,
              Map.copyOf(s.params()),
              Map.copyOf(config),
              TrialIds.trialSeed(spec.seedOrDefault(), number));
      study.trials().put(trialId, trial);
      Study.Segment first =
          new Study.Segment(trial, 1, 0, ladder.firstEpoch(number), null, -1, study.nextOrder());
      study.inFlight().put(trialId, first);
      publisher.publish(
          new TrialCreated(
              SchemaVersion.CURRENT,
              study.id(),
              trialId,
              number,
              trial.params(),
              trial.config(),
              clock.millis()));
      publisher.publish(assignment(study, first));
    }
  }

  /**
   * The observations of the rung a sampler should learn from ({@link FidelityLadder#modelRung}).
   */
  static List<Observation> modelObservations(Study study) {
    int[] counts = study.observations().stream().mapToInt(Map::size).toArray();
    int rung = FidelityLadder.modelRung(counts, study.spec().searchSpace().params().size());
    return rung < 0 ? List.of() : List.copyOf(study.observations().get(rung).values());
  }

  /** Keeps the decision's objective values as the trial's observation at the decision's rung. */
  private static void observe(Study study, Study.TrialState trial, RungDecision d) {
    if (d.action() == RungDecision.Action.FAILED
        || d.rung() < 0
        || d.rung() >= study.observations().size()) {
      return;
    }
    List<Double> values = objectiveValues(study.spec(), d);
    if (values != null) {
      study
          .observations()
          .get(d.rung())
          .put(trial.trialId(), new Observation(trial.params(), values));
    }
  }

  private static SegmentAssignment assignment(Study study, Study.Segment segment) {
    StudySpec spec = study.spec();
    Study.TrialState trial = segment.trial();
    return new SegmentAssignment(
        SchemaVersion.CURRENT,
        study.id(),
        trial.trialId(),
        segment.attempt(),
        trial.config(),
        segment.fromEpoch(),
        segment.toEpoch(),
        study.ladder().maxEpochs(),
        segment.checkpointUri(),
        spec.dataset(),
        spec.model(),
        trial.seed());
  }

  private void end(Study study, State state, String reason) {
    study.end(state, reason);
    publisher.publish(
        new StudyStateChanged(SchemaVersion.CURRENT, study.id(), state, reason, clock.millis()));
    LOG.info(
        () ->
            "study " + study.id() + " " + state.wireName() + (reason == null ? "" : ": " + reason));
  }

  /**
   * The decision's value for every objective of the study, or null if one is missing or not finite.
   */
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

  /** For tests and the status endpoint: the ids of the trials parked at a rung. */
  public List<String> parked(String studyId) {
    Study s = get(studyId);
    synchronized (s) {
      return List.copyOf(s.parkedTrials().keySet());
    }
  }
}
