package io.sharpsweep.protocol.study;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.fidelity.Schedule;
import io.sharpsweep.protocol.fidelity.Schedules;
import io.sharpsweep.protocol.knobs.Knob;
import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.protocol.knobs.KnobType;
import io.sharpsweep.protocol.knobs.PaperPreset;
import io.sharpsweep.protocol.space.ParamSpec;
import io.sharpsweep.protocol.space.ParamType;
import io.sharpsweep.protocol.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every rule of a {@link StudySpec}; messages name the path ({@code space[3].low}) and the rule.
 */
public final class StudySpecValidator {
  /** Samplers the scheduler may ask for; the sampler service answers 400 for any other. */
  public static final Set<String> SAMPLERS =
      Set.of("random", "sobol", "tpe", "gp", "parego", "motpe");

  /**
   * Largest reduction factor: beyond it every schedule has two rungs and the factor means nothing.
   */
  public static final int MAX_ETA = 100;

  public static final int MAX_TRIALS = 100_000;
  public static final int MAX_EPOCHS = 10_000;

  /**
   * The default limit of {@link #estimatedTrainingBytes}: 512 MiB, half of the local stack's 1 GiB
   * worker heap (the scheduler's {@code sharpsweep.scheduler.max-dataset-bytes}).
   */
  public static final long DEFAULT_MAX_DATASET_BYTES = 512L * 1024 * 1024;

  /** Training examples of the datasets on disk (the worker reads at most this many). */
  public static final Map<String, Integer> FULL_TRAINING_SIZE =
      Map.of("fashion-mnist", 60_000, "cifar10", 50_000, "cifar100", 50_000);

  /** Training examples of {@code synthetic} when the spec gives no {@code trainLimit}. */
  public static final int SYNTHETIC_DEFAULT_TRAIN = 1000;

  private StudySpecValidator() {}

  /** {@link #requireValid(StudySpec, long)} with {@link #DEFAULT_MAX_DATASET_BYTES}. */
  public static StudySpec requireValid(StudySpec spec) {
    return requireValid(spec, DEFAULT_MAX_DATASET_BYTES);
  }

  /**
   * @param maxDatasetBytes the largest {@link #estimatedTrainingBytes} accepted; 0 or less for no
   *     limit
   * @throws ValidationException listing every broken rule
   */
  public static StudySpec requireValid(StudySpec spec, long maxDatasetBytes) {
    List<FieldError> errors = validate(spec, maxDatasetBytes);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return spec;
  }

  /** {@link #validate(StudySpec, long)} with {@link #DEFAULT_MAX_DATASET_BYTES}. */
  public static List<FieldError> validate(StudySpec spec) {
    return validate(spec, DEFAULT_MAX_DATASET_BYTES);
  }

  /**
   * Every broken rule of {@code spec}, empty if it is valid.
   *
   * @param maxDatasetBytes the largest {@link #estimatedTrainingBytes} accepted; 0 or less for no
   *     limit
   */
  public static List<FieldError> validate(StudySpec spec, long maxDatasetBytes) {
    List<FieldError> errors = new ArrayList<>();
    if (spec == null) {
      errors.add(new FieldError("", "a study spec is required"));
      return errors;
    }
    checkName(spec.name(), errors);
    checkDataset(spec.dataset(), errors);
    checkDatasetSize(spec.dataset(), maxDatasetBytes, errors);
    checkModel(spec.model(), errors);
    checkObjectives(spec.objectives(), errors);
    SearchSpace space = spec.searchSpace();
    List<FieldError> spaceErrors = space.validate("space");
    errors.addAll(spaceErrors);
    if (spaceErrors.isEmpty()) {
      checkKnobs(spec, errors);
    }
    checkFixed(spec.fixedOrEmpty(), errors);
    checkSampler(spec.sampler(), errors);
    checkScheduler(spec.scheduler(), errors);
    checkRankedObjectives(spec, errors);
    checkBudget(spec.budget(), errors);
    if (spaceErrors.isEmpty()) {
      checkEnqueue(spec, space, errors);
    }
    checkWarmStart(spec.warmStart(), errors);
    return errors;
  }

  private static void checkName(String name, List<FieldError> errors) {
    if (name == null || name.isBlank()) {
      errors.add(new FieldError("name", "is required"));
    } else if (name.length() > 200) {
      errors.add(new FieldError("name", "must be at most 200 characters"));
    }
  }

  private static void checkModel(String model, List<FieldError> errors) {
    if (model == null) {
      errors.add(new FieldError("model", "is required: one of " + TrainingCatalog.MODELS));
    } else if (!TrainingCatalog.MODELS.contains(model)) {
      errors.add(
          new FieldError(
              "model", "unknown model '" + model + "': one of " + TrainingCatalog.MODELS));
    }
  }

  private static void checkSampler(SamplerSpec sampler, List<FieldError> errors) {
    if (sampler == null || sampler.type() == null) {
      errors.add(new FieldError("sampler.type", "is required: one of " + SAMPLERS));
    } else if (!SAMPLERS.contains(sampler.type())) {
      errors.add(
          new FieldError(
              "sampler.type", "unknown sampler '" + sampler.type() + "': one of " + SAMPLERS));
    }
  }

  /** A scheduler that ranks rungs over several objectives needs exactly that many. */
  private static void checkRankedObjectives(StudySpec spec, List<FieldError> errors) {
    int ranked =
        spec.scheduler() == null
            ? 0
            : Schedules.find(spec.scheduler().type()).map(Schedule::rankedObjectives).orElse(0);
    if (ranked > 0 && (spec.objectives() == null || spec.objectives().size() != ranked)) {
      errors.add(
          new FieldError(
              "scheduler.type",
              "'"
                  + spec.scheduler().type()
                  + "' ranks rungs over "
                  + count(ranked)
                  + " objectives: the study must have exactly "
                  + count(ranked)
                  + " objectives"));
    }
  }

  private static void checkWarmStart(WarmStart warmStart, List<FieldError> errors) {
    if (warmStart != null && !TrialIds.isStudyId(warmStart.fromStudy())) {
      errors.add(
          new FieldError(
              "warmStart.fromStudy",
              "must be the id of a study (letters, digits, '.', '_' or '-'), got "
                  + warmStart.fromStudy()));
    }
  }

  /** The most configurations a spec may enqueue. */
  public static final int MAX_ENQUEUE = 1_000;

  private static void checkEnqueue(StudySpec spec, SearchSpace space, List<FieldError> errors) {
    List<Map<String, Object>> items = spec.enqueue();
    if (items == null) {
      return;
    }
    int count = 0;
    for (int i = 0; i < items.size(); i++) {
      Map<String, Object> item = items.get(i);
      Optional<Object> preset = spec.presetOf(item);
      if (preset.isEmpty()) {
        errors.addAll(space.checkAssignment(item, "enqueue[" + i + "]"));
        count++;
      } else if (PaperPreset.NAME.equals(preset.get())) {
        count += spec.paperPreset().size();
      } else {
        errors.add(
            new FieldError(
                "enqueue[" + i + "].preset",
                "unknown preset '" + preset.get() + "': one of [" + PaperPreset.NAME + "]"));
      }
    }
    int budget =
        spec.budget() == null || spec.budget().trials() == null ? 0 : spec.budget().trials();
    if (count > Math.min(budget, MAX_ENQUEUE)) {
      errors.add(
          new FieldError(
              "enqueue",
              "holds "
                  + count
                  + " configurations, more than budget.trials ("
                  + budget
                  + ") or "
                  + MAX_ENQUEUE));
    }
  }

  private static void checkDataset(DatasetSpec d, List<FieldError> errors) {
    if (d == null) {
      errors.add(new FieldError("dataset", "is required"));
      return;
    }
    if (d.name() == null) {
      errors.add(new FieldError("dataset.name", "is required: one of " + TrainingCatalog.DATASETS));
    } else if (!TrainingCatalog.DATASETS.contains(d.name())) {
      errors.add(
          new FieldError(
              "dataset.name",
              "unknown dataset '" + d.name() + "': one of " + TrainingCatalog.DATASETS));
    }
    if (d.validationFraction() != null
        && !(d.validationFraction() > 0 && d.validationFraction() < 1)) {
      errors.add(
          new FieldError(
              "dataset.validationFraction", "must be in (0, 1), got " + d.validationFraction()));
    }
    if (d.labelNoise() != null && !(d.labelNoise() >= 0 && d.labelNoise() < 1)) {
      errors.add(new FieldError("dataset.labelNoise", "must be in [0, 1), got " + d.labelNoise()));
    }
    if (d.trainLimit() != null && d.trainLimit() < 10) {
      errors.add(
          new FieldError("dataset.trainLimit", "must be at least 10, got " + d.trainLimit()));
    }
    if (d.testLimit() != null && d.testLimit() < 1) {
      errors.add(new FieldError("dataset.testLimit", "must be at least 1, got " + d.testLimit()));
    }
  }

  /**
   * Bytes per training example that a worker holds in its JVM while it loads the training set, by
   * dataset (0 for an unknown one). Image datasets are read as unsigned bytes: the pixels and the
   * label byte on the heap, plus the pixels once more in the direct buffer each split's tensor is
   * made from ({@code 2·P + 1}; Fashion-MNIST {@code P = 28·28}, CIFAR {@code P = 3·32·32}). {@code
   * synthetic} is generated as float32 features and an int label on the heap, copied once more into
   * a heap float buffer for the tensor ({@code 8·P + 4}, {@code P = 28·28}). The float32 tensors
   * themselves live in native memory, outside the heap, and are not counted.
   */
  public static long bytesPerTrainingExample(String dataset) {
    if (dataset == null) {
      return 0;
    }
    return switch (dataset) {
      case "fashion-mnist" -> 2L * 28 * 28 + 1;
      case "cifar10", "cifar100" -> 2L * 3 * 32 * 32 + 1;
      case "synthetic" -> 8L * 28 * 28 + 4;
      default -> 0;
    };
  }

  /**
   * Training examples (before the validation hold-out) the worker loads for {@code d}: {@code
   * trainLimit}, at most the dataset's size on disk; the whole dataset without a limit; for {@code
   * synthetic} without a limit, {@link #SYNTHETIC_DEFAULT_TRAIN}. 0 for an unknown dataset.
   */
  public static long trainingExamples(DatasetSpec d) {
    if (d == null || d.name() == null) {
      return 0;
    }
    if (d.name().equals("synthetic")) {
      return d.trainLimit() == null ? SYNTHETIC_DEFAULT_TRAIN : Math.max(0, d.trainLimit());
    }
    Integer full = FULL_TRAINING_SIZE.get(d.name());
    if (full == null) {
      return 0;
    }
    return d.trainLimit() == null ? full : Math.max(0, Math.min(d.trainLimit(), full));
  }

  /**
   * The estimated bytes a worker holds in its JVM for the training set of {@code d}: {@link
   * #trainingExamples} × {@link #bytesPerTrainingExample}.
   */
  public static long estimatedTrainingBytes(DatasetSpec d) {
    return d == null ? 0 : trainingExamples(d) * bytesPerTrainingExample(d.name());
  }

  private static void checkDatasetSize(DatasetSpec d, long maxBytes, List<FieldError> errors) {
    if (maxBytes <= 0 || d == null) {
      return;
    }
    long perExample = bytesPerTrainingExample(d.name());
    long bytes = estimatedTrainingBytes(d);
    if (perExample <= 0 || bytes <= maxBytes) {
      return;
    }
    long fits = maxBytes / perExample;
    errors.add(
        new FieldError(
            "dataset.trainLimit",
            "the training set of "
                + trainingExamples(d)
                + " '"
                + d.name()
                + "' examples needs about "
                + mib(bytes)
                + " in a worker ("
                + perExample
                + " bytes per example), above the limit of "
                + mib(maxBytes)
                + " (sharpsweep.scheduler.max-dataset-bytes): set trainLimit to at most "
                + fits));
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static void checkObjectives(List<Objective> objectives, List<FieldError> errors) {
    if (objectives == null || objectives.isEmpty()) {
      errors.add(new FieldError("objectives", "must hold one or two objectives"));
      return;
    }
    if (objectives.size() > 2) {
      errors.add(
          new FieldError(
              "objectives", "must hold one or two objectives, got " + objectives.size()));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < objectives.size(); i++) {
      Objective o = objectives.get(i);
      String at = "objectives[" + i + "]";
      if (o == null) {
        errors.add(new FieldError(at, "must not be null"));
        continue;
      }
      if (o.name() == null) {
        errors.add(
            new FieldError(at + ".metric", "is required: one of " + TrainingCatalog.METRICS));
        continue;
      }
      if (!TrainingCatalog.METRICS.contains(o.name())) {
        errors.add(
            new FieldError(
                at + ".metric",
                "unknown metric '" + o.name() + "': one of " + TrainingCatalog.METRICS));
      } else if (!seen.add(o.name())) {
        errors.add(new FieldError(at + ".metric", "'" + o.name() + "' is named twice"));
      }
      if (o.goal() == null) {
        errors.add(new FieldError(at + ".goal", "is required: maximize or minimize"));
      }
    }
  }

  private static String knownKnobs() {
    return new java.util.TreeSet<>(KnobCatalogue.names()).toString();
  }

  /**
   * Every parameter names a knob of {@link KnobCatalogue}, its type fits the knob's, and every
   * value it can take is one the knob accepts: both bounds of a range (so the whole range) and
   * every choice.
   */
  private static void checkKnobs(StudySpec spec, List<FieldError> errors) {
    List<ParamSpec> params = spec.space();
    for (int i = 0; i < params.size(); i++) {
      ParamSpec p = params.get(i);
      String at = "space[" + i + "]";
      Optional<Knob> knob = KnobCatalogue.find(p.name());
      if (knob.isEmpty()) {
        errors.add(
            new FieldError(
                at + ".name", "unknown training knob '" + p.name() + "': one of " + knownKnobs()));
        continue;
      }
      Knob k = knob.get();
      switch (p.type()) {
        case CATEGORICAL -> {
          for (int j = 0; p.choices() != null && j < p.choices().size(); j++) {
            String problem = k.problem(p.choices().get(j));
            if (problem != null) {
              errors.add(new FieldError(at + ".choices[" + j + "]", problem));
            }
          }
        }
        case FLOAT, INT -> {
          boolean fits =
              k.type() == KnobType.FLOAT || (k.type() == KnobType.INT && p.type() == ParamType.INT);
          if (!fits) {
            errors.add(
                new FieldError(
                    at + ".type",
                    "knob '"
                        + k.name()
                        + "' takes "
                        + typeHint(k)
                        + ", got type "
                        + p.type().wireName()));
            continue;
          }
          checkBound(at + ".low", p.low(), k, errors);
          checkBound(at + ".high", p.high(), k, errors);
        }
      }
    }
  }

  private static String typeHint(Knob k) {
    return switch (k.type()) {
      case INT -> "integers in " + k.range() + ": use type int or categorical";
      case BOOL -> "true or false: use type categorical with choices [true, false]";
      case CATEGORICAL -> "one of " + k.choices() + ": use type categorical";
      case FLOAT -> "numbers in " + k.range();
    };
  }

  private static void checkBound(String field, Double bound, Knob k, List<FieldError> errors) {
    if (bound != null && !k.range().contains(bound)) {
      errors.add(
          new FieldError(
              field,
              "must be in "
                  + k.range()
                  + " (the range of "
                  + k.name()
                  + "), got "
                  + Knob.describe(bound)));
    }
  }

  /** Every key of {@code fixed} is a knob and its value one the knob accepts. */
  private static void checkFixed(Map<String, Object> fixed, List<FieldError> errors) {
    for (Map.Entry<String, Object> e : fixed.entrySet()) {
      Optional<Knob> knob = KnobCatalogue.find(e.getKey());
      if (knob.isEmpty()) {
        errors.add(
            new FieldError("fixed." + e.getKey(), "unknown training knob: one of " + knownKnobs()));
        continue;
      }
      String problem = knob.get().problem(e.getValue());
      if (problem != null) {
        errors.add(new FieldError("fixed." + e.getKey(), problem));
      }
    }
  }

  /** A small count in words, as the messages spell it. */
  private static String count(int n) {
    List<String> words = List.of("zero", "one", "two", "three", "four");
    return n < words.size() ? words.get(n) : Integer.toString(n);
  }

  private static void checkScheduler(SchedulerSpec s, List<FieldError> errors) {
    if (s == null) {
      errors.add(new FieldError("scheduler", "is required (at least maxEpochs)"));
      return;
    }
    if (Schedules.find(s.typeOrDefault()).isEmpty()) {
      errors.add(
          new FieldError(
              "scheduler.type",
              "unknown scheduler '" + s.type() + "': one of " + Schedules.types()));
    }
    if (s.maxEpochs() == null) {
      errors.add(new FieldError("scheduler.maxEpochs", "is required"));
    } else if (s.maxEpochs() < 1 || s.maxEpochs() > MAX_EPOCHS) {
      errors.add(
          new FieldError(
              "scheduler.maxEpochs", "must be in [1, " + MAX_EPOCHS + "], got " + s.maxEpochs()));
    }
    if (s.minEpochs() != null
        && (s.minEpochs() < 1 || (s.maxEpochs() != null && s.minEpochs() > s.maxEpochs()))) {
      errors.add(
          new FieldError("scheduler.minEpochs", "must be in [1, maxEpochs], got " + s.minEpochs()));
    }
    if (s.eta() != null && (s.eta() < 2 || s.eta() > MAX_ETA)) {
      errors.add(
          new FieldError("scheduler.eta", "must be in [2, " + MAX_ETA + "], got " + s.eta()));
    }
    if (s.multiFidelity() && s.maxEpochs() != null && s.minEpochsOrDefault() == s.maxEpochs()) {
      errors.add(
          new FieldError(
              "scheduler.minEpochs",
              "must be below maxEpochs ("
                  + s.maxEpochs()
                  + ") for scheduler '"
                  + s.type()
                  + "': a single rung leaves nothing to halve, got "
                  + s.minEpochsOrDefault()
                  + (s.minEpochs() == null ? " (the default)" : "")));
    }
  }

  private static void checkBudget(Budget b, List<FieldError> errors) {
    if (b == null) {
      errors.add(new FieldError("budget", "is required (trials and parallelism)"));
      return;
    }
    if (b.trials() == null || b.trials() < 1 || b.trials() > MAX_TRIALS) {
      errors.add(
          new FieldError("budget.trials", "must be in [1, " + MAX_TRIALS + "], got " + b.trials()));
    }
    if (b.parallelism() == null || b.parallelism() < 1 || b.parallelism() > 1024) {
      errors.add(
          new FieldError("budget.parallelism", "must be in [1, 1024], got " + b.parallelism()));
    }
    if (b.maxAttempts() != null && (b.maxAttempts() < 1 || b.maxAttempts() > 100)) {
      errors.add(
          new FieldError("budget.maxAttempts", "must be in [1, 100], got " + b.maxAttempts()));
    }
  }
}
