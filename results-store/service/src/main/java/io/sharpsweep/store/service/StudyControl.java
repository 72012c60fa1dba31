package io.sharpsweep.store.service;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.knobs.PaperPreset;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.FidelityLadder;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.StudySpecValidator;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.store.control.ControlAction.Enqueue;
import io.sharpsweep.store.control.ControlRules;
import io.sharpsweep.store.control.Refusal;
import io.sharpsweep.store.control.StudyPolicy;
import io.sharpsweep.store.control.StudyView;
import io.sharpsweep.store.db.EnqueuedRepository;
import io.sharpsweep.store.db.StudyRepository;
import io.sharpsweep.store.db.StudyRow;
import io.sharpsweep.store.db.TrialRepository;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.ingest.RungBookkeeping;
import io.sharpsweep.store.query.UnknownStudyException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The study side of the control API: create a study (idempotent by id), add its trials (exactly
 * once per number), pause, resume or extend it, cancel or fail it. Each call is one transaction
 * holding the study's lock.
 */
@Singleton
public class StudyControl {
  private static final int MAX_ID = TrialIds.MAX_ID;

  private final ControlPlane plane;
  private final ControlQueries queries;
  private final LeaseSignal signal;
  private final StudyRepository studies = new StudyRepository();
  private final TrialRepository trials = new TrialRepository();
  private final EnqueuedRepository enqueued = new EnqueuedRepository();
  private final RungBookkeeping rungs = new RungBookkeeping();

  @Inject
  public StudyControl(ControlPlane plane, ControlQueries queries, LeaseSignal signal) {
    this.plane = plane;
    this.queries = queries;
    this.signal = signal;
  }

  /** The study and whether this call created it (false: it existed with the same spec). */
  public record Created(StudyStatus status, boolean created) {}

  public Created create(CreateStudy request) {
    validate(request);
    String id = request.id();
    String specJson = Json.encodeToString(request.spec());
    return plane
        .db()
        .inTransaction(
            "creating study " + id,
            c -> {
              Instant now = plane.now();
              Optional<StudyRow> existing = studies.lock(c, id);
              if (existing.isPresent() && existing.get().spec() != null) {
                requireSameSpec(id, existing.get().createdSpec(), specJson);
                return new Created(queries.status(c, id), false);
              }
              Instant createdAt =
                  request.createdAt() > 0 ? Instant.ofEpochMilli(request.createdAt()) : now;
              if (!studies.create(c, id, request.spec().name(), specJson, createdAt, now)) {
                // Another replica's create of the same id committed meanwhile.
                StudyRow row = studies.lock(c, id).orElseThrow(() -> new UnknownStudyException(id));
                requireSameSpec(id, row.createdSpec(), specJson);
                return new Created(queries.status(c, id), false);
              }
              requireWarmStartSource(c, id, request.spec());
              StudyPolicy policy = StudyPolicy.of(request.spec());
              studies.setCapacity(c, id, policy.trials(), policy.parallelism());
              List<Map<String, Object>> first = request.spec().enqueuedConfigurations();
              if (!first.isEmpty()) {
                enqueued.append(
                    c, id, first.stream().map(Json::encodeToString).toList(), "spec", now);
              }
              rungs.catchUp(c, id, request.spec(), null, now);
              return new Created(queries.status(c, id), true);
            });
  }

  public StudyStatus addTrials(String studyId, NewTrials request) {
    if (request == null || request.params() == null || request.params().isEmpty()) {
      throw new ValidationException("params", "must hold at least one configuration");
    }
    StudyStatus status =
        plane
            .db()
            .inTransaction(
                "adding trials to study " + studyId, c -> addTrials(c, studyId, request));
    signal.wake();
    return status;
  }

  /** Cancels ({@code cancelled}) or fails ({@code failed}) a running study. */
  public StudyStatus end(String studyId, String state, String reason) {
    return plane
        .db()
        .inTransaction(
            "ending study " + studyId,
            c -> {
              ControlPlane.Tx t = lockedTx(c, studyId);
              plane.apply(t, t.rules().end(plane.view(t), state, reason));
              return queries.status(c, studyId);
            });
  }

  /**
   * Pauses ({@code pause}) or resumes a running study: while paused, no segment of it is leased and
   * no trial created; its leased segments finish the segment they train and their reports count.
   * Pausing a paused study, or resuming a study that is not paused, changes nothing.
   *
   * @throws ConflictException when the study is not running
   */
  public StudyStatus pause(String studyId, boolean pause) {
    StudyStatus status =
        plane
            .db()
            .inTransaction(
                (pause ? "pausing" : "resuming") + " study " + studyId,
                c -> {
                  StudyRow row =
                      studies
                          .lock(c, studyId)
                          .orElseThrow(() -> new UnknownStudyException(studyId));
                  Optional<Refusal> refusal = ControlRules.refusePause(row.state(), pause);
                  if (refusal.isPresent()) {
                    throw new ConflictException(refusal.get().field(), refusal.get().message());
                  }
                  if (row.paused() != pause) {
                    studies.setPaused(c, studyId, pause, plane.now());
                  }
                  return queries.status(c, studyId);
                });
    if (!pause) {
      signal.wake();
    }
    return status;
  }

  /**
   * Adds trials to a running or completed study's budget (a completed study runs again); the spec's
   * {@code budget.trials} becomes the new budget.
   *
   * @throws ValidationException naming {@code trials} or {@code maxEpochs} when the schedule cannot
   *     be extended so
   * @throws ConflictException when the study is cancelled or failed
   */
  public StudyStatus extend(String studyId, ExtendStudy request) {
    if (request == null) {
      throw new ValidationException("body", "is required: {\"trials\": K}");
    }
    return plane
        .db()
        .inTransaction(
            "extending study " + studyId,
            c -> {
              ControlPlane.Tx t = lockedTx(c, studyId);
              List<Refusal> errors =
                  t.rules()
                      .extensionErrors(
                          request.trials(), request.maxEpochs(), StudySpecValidator.MAX_TRIALS);
              if (!errors.isEmpty()) {
                throw new ValidationException(
                    errors.stream().map(r -> new FieldError(r.field(), r.message())).toList());
              }
              Optional<Refusal> refusal = ControlRules.refuseExtension(t.study().state());
              if (refusal.isPresent()) {
                throw new ConflictException(refusal.get().field(), refusal.get().message());
              }
              StudySpec spec = t.spec();
              int trials = t.rules().policy().trials() + request.trials();
              Budget b = spec.budget();
              StudySpec extended =
                  spec.withBudget(new Budget(trials, b.parallelism(), b.maxAttempts()));
              studies.extend(c, studyId, Json.encodeToString(extended), trials, t.now());
              if (ControlRules.COMPLETED.equals(t.study().state())) {
                studies.updateState(c, studyId, ControlRules.RUNNING, null, t.now());
              }
              return queries.status(c, studyId);
            });
  }

  /**
   * Enqueues configurations (or a preset's) to become the study's next trials before the sampler is
   * asked, and creates as many of them as the study has free slots for now.
   *
   * @throws ValidationException naming the field of a configuration outside the search space, an
   *     unknown preset, or an empty request
   * @throws ConflictException when the study is not running or the budget has no room for them
   */
  public EnqueuedConfigs enqueue(String studyId, EnqueueConfigs request) {
    boolean preset = request != null && request.preset() != null;
    if (request == null
        || (!preset && (request.configs() == null || request.configs().isEmpty()))) {
      throw new ValidationException(
          "configs", "is required: at least one configuration, or a preset (papers)");
    }
    if (preset && !PaperPreset.NAME.equals(request.preset())) {
      throw new ValidationException(
          "preset", "unknown preset '" + request.preset() + "': one of [" + PaperPreset.NAME + "]");
    }
    if (preset && request.configs() != null && !request.configs().isEmpty()) {
      throw new ValidationException("preset", "give either configs or a preset, not both");
    }
    if (!preset && request.configs().size() > EnqueueConfigs.MAX_CONFIGS) {
      throw new ValidationException(
          "configs",
          "at most "
              + EnqueueConfigs.MAX_CONFIGS
              + " configurations per call, got "
              + request.configs().size());
    }
    EnqueuedConfigs answer =
        plane
            .db()
            .inTransaction(
                "enqueuing configurations of study " + studyId,
                c -> {
                  ControlPlane.Tx t = lockedTx(c, studyId);
                  List<Map<String, Object>> configs =
                      preset ? t.spec().paperPreset() : request.configs();
                  List<FieldError> errors = new ArrayList<>();
                  for (int i = 0; i < configs.size(); i++) {
                    errors.addAll(
                        t.spec()
                            .searchSpace()
                            .checkAssignment(configs.get(i), "configs[" + i + "]"));
                  }
                  if (!errors.isEmpty()) {
                    throw new ValidationException(errors);
                  }
                  Optional<Refusal> refusal =
                      t.rules()
                          .refuseEnqueue(
                              plane.view(t), enqueued.countWaiting(c, studyId), configs.size());
                  if (refusal.isPresent()) {
                    throw new ConflictException(refusal.get().field(), refusal.get().message());
                  }
                  enqueued.append(
                      c,
                      studyId,
                      configs.stream().map(Json::encodeToString).toList(),
                      preset ? request.preset() : "user",
                      t.now());
                  createEnqueued(t);
                  return new EnqueuedConfigs(
                      configs, enqueued.countWaiting(c, studyId), queries.status(c, studyId));
                });
    signal.wake();
    return answer;
  }

  /**
   * Creates the study's next trials from its enqueued configurations, as many as it wants now;
   * returns how many. Without waiting configurations it reads one count and locks nothing.
   */
  public int createEnqueued(String studyId) {
    int waiting =
        plane.db().read("counting enqueued configurations", c -> enqueued.countWaiting(c, studyId));
    if (waiting == 0) {
      return 0;
    }
    int created =
        plane
            .db()
            .inTransaction(
                "creating enqueued trials of study " + studyId,
                c -> createEnqueued(lockedTx(c, studyId)));
    if (created > 0) {
      signal.wake();
    }
    return created;
  }

  @SuppressWarnings("unchecked")
  private int createEnqueued(ControlPlane.Tx t) throws SQLException {
    StudyView v = plane.view(t);
    int wanted = t.rules().wanted(v);
    if (wanted == 0) {
      return 0;
    }
    List<EnqueuedRepository.Waiting> next = enqueued.waiting(t.c(), t.studyId(), wanted);
    if (next.isEmpty()) {
      return 0;
    }
    List<Map<String, Object>> params = new ArrayList<>(next.size());
    for (EnqueuedRepository.Waiting w : next) {
      params.add(Json.decode(w.params(), Map.class));
    }
    List<Enqueue> first = createTrials(t, v.created(), params);
    for (int i = 0; i < next.size(); i++) {
      enqueued.consumed(t.c(), t.studyId(), next.get(i).position(), v.created() + i);
    }
    studies.addCreated(t.c(), t.studyId(), next.size(), t.now());
    plane.enqueueAll(t, first);
    return next.size();
  }

  private StudyStatus addTrials(Connection c, String studyId, NewTrials request)
      throws SQLException {
    ControlPlane.Tx t = lockedTx(c, studyId);
    checkParams(t.spec(), request.params());
    Optional<Refusal> refusal =
        t.rules().refuseTrials(plane.view(t), request.firstNumber(), request.params().size());
    if (refusal.isPresent()) {
      throw new ConflictException(refusal.get().field(), refusal.get().message());
    }
    List<Enqueue> first = createTrials(t, request.firstNumber(), request.params());
    studies.addCreated(c, studyId, request.params().size(), t.now());
    plane.enqueueAll(t, first);
    return queries.status(c, studyId);
  }

  /**
   * Creates the trials numbered from {@code firstNumber}, one per entry of {@code params}, in a
   * fixed number of statements: their rows locked or inserted, then described; a trial whose row
   * was there before (of another study: 409) has its stored reports caught up on. Returns their
   * first segments, in number order, for the caller to queue.
   */
  private List<Enqueue> createTrials(
      ControlPlane.Tx t, int firstNumber, List<Map<String, Object>> params) throws SQLException {
    int count = params.size();
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(TrialIds.trialId(t.studyId(), firstNumber + i));
    }
    Map<String, TrialRow> existing = trials.createAllLocked(t.c(), t.studyId(), ids, 1, t.now());
    for (String trialId : ids) {
      TrialRow row = existing.get(trialId);
      if (row != null && !row.studyId().equals(t.studyId())) {
        throw belongsToAnotherStudy(trialId);
      }
    }
    List<TrialRepository.Description> descriptions = new ArrayList<>(count);
    List<Enqueue> first = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int number = firstNumber + i;
      descriptions.add(
          new TrialRepository.Description(
              ids.get(i),
              number,
              Json.encodeToString(params.get(i)),
              configJson(t, params.get(i))));
      first.add(t.rules().firstSegment(ids.get(i), number));
    }
    trials.describeAll(t.c(), descriptions, t.now(), t.now());
    // Reports never create trials, so only a row that was there before this call can have stored
    // reports to catch up on (a placeholder trial of an older store).
    for (String trialId : ids) {
      if (existing.containsKey(trialId)) {
        plane.promoted(t, rungs.catchUp(t.c(), t.studyId(), t.spec(), trialId, t.now()));
      }
    }
    return first;
  }

  private static ConflictException belongsToAnotherStudy(String trialId) {
    return new ConflictException("firstNumber", "trial " + trialId + " belongs to another study");
  }

  /** The trial's configuration: the spec's fixed values, overridden by its parameters. */
  private static String configJson(ControlPlane.Tx t, Map<String, Object> params) {
    Map<String, Object> config = new LinkedHashMap<>(t.spec().fixedOrEmpty());
    config.putAll(params);
    return Json.encodeToString(config);
  }

  private ControlPlane.Tx lockedTx(Connection c, String studyId) throws SQLException {
    StudyRow row = studies.lock(c, studyId).orElseThrow(() -> new UnknownStudyException(studyId));
    return plane.tx(c, row, plane.now()).orElseThrow(() -> new UnknownStudyException(studyId));
  }

  private static void checkParams(StudySpec spec, List<Map<String, Object>> params) {
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i) == null) {
        errors.add(new FieldError("params[" + i + "]", "must not be null"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  /** A warm start names a study the store holds, other than the new one. */
  private void requireWarmStartSource(Connection c, String id, StudySpec spec) throws SQLException {
    if (spec.warmStart() == null) {
      return;
    }
    String from = spec.warmStart().fromStudy();
    if (id.equals(from) || studies.find(c, from).filter(r -> r.spec() != null).isEmpty()) {
      throw new ValidationException(
          "spec.warmStart.fromStudy",
          id.equals(from)
              ? "must name another study, got the study itself"
              : "no study '" + from + "' in the store");
    }
  }

  private static void requireSameSpec(String id, String stored, String requested) {
    String canonical = Json.encodeToString(Json.decode(stored, StudySpec.class));
    if (!canonical.equals(requested)) {
      throw new ConflictException("spec", "study '" + id + "' exists with another spec");
    }
  }

  private static void validate(CreateStudy request) {
    if (request == null) {
      throw new ValidationException("body", "is required");
    }
    if (request.id() == null || request.id().isBlank()) {
      throw new ValidationException("id", "is required");
    }
    if (!TrialIds.isStudyId(request.id())) {
      throw new ValidationException(
          "id", "must be at most " + MAX_ID + " characters of letters, digits, '.', '_' or '-'");
    }
    if (request.spec() == null) {
      throw new ValidationException("spec", "is required");
    }
    // The scheduler validated the spec (StudySpecValidator); the store checks what it relies on.
    StudySpec spec = request.spec();
    if (spec.objectives() == null || spec.objectives().isEmpty()) {
      throw new ValidationException("spec.objectives", "must hold at least one objective");
    }
    if (spec.budget() == null
        || spec.budget().trials() == null
        || spec.budget().trials() < 1
        || spec.budget().parallelism() == null
        || spec.budget().parallelism() < 1) {
      throw new ValidationException(
          "spec.budget", "trials and parallelism are required and must be at least 1");
    }
    try {
      FidelityLadder.of(request.spec());
    } catch (IllegalArgumentException e) {
      throw new ValidationException("spec.scheduler", e.getMessage());
    }
    // Every rule of a spec, as the scheduler checks it: a spec the store took unchecked (an
    // unknown metric, a name longer than its column) broke later queries or the insert itself.
    List<FieldError> broken = StudySpecValidator.validate(request.spec());
    if (!broken.isEmpty()) {
      throw new ValidationException(
          broken.stream().map(f -> new FieldError("spec." + f.field(), f.message())).toList());
    }
  }
}
