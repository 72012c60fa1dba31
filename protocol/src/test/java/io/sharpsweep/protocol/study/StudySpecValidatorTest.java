package io.sharpsweep.protocol.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class StudySpecValidatorTest {
  static final String DESIGN_EXAMPLE =
      """
      name: fmnist-sam-family
      dataset: {name: fashion-mnist, validationFraction: 0.1, labelNoise: 0.2}
      model: cnn-small
      objectives:
        - {metric: val_accuracy, goal: maximize}
        - {metric: sgd_epoch_equivalents, goal: minimize}
      space:
        - {name: variant, type: categorical, choices: [sgd, sam, esam, ae-sam, looksam, ae-looksam, msam]}
        - {name: lr, type: float, low: 0.01, high: 0.3, log: true}
        - {name: rho, type: float, low: 0.01, high: 0.5, log: true, when: {variant: [sam, esam, ae-sam, looksam, ae-looksam, msam]}}
        - {name: beta, type: float, low: 0.3, high: 1.0, when: {variant: [esam]}}
        - {name: gamma, type: float, low: 0.3, high: 1.0, when: {variant: [esam]}}
        - {name: lambda1, type: float, low: -2.0, high: 2.0, when: {variant: [ae-sam, ae-looksam]}}
        - {name: lambda2, type: float, low: -2.0, high: 2.0, when: {variant: [ae-sam, ae-looksam]}}
        - {name: k, type: int, low: 2, high: 10, when: {variant: [looksam]}}
        - {name: alpha, type: float, low: 0.1, high: 1.0, when: {variant: [looksam, ae-looksam]}}
      fixed: {batch-size: 128, momentum: 0.9}
      sampler: {type: random, seed: 7}
      scheduler: {type: none, maxEpochs: 27}
      budget: {trials: 80, parallelism: 4}
      """;

  private static List<String> fields(String yaml) {
    return StudySpecValidator.validate(Json.decodeYaml(yaml, StudySpec.class)).stream()
        .map(FieldError::field)
        .toList();
  }

  @Test
  void theDesignExampleIsValid() {
    StudySpec spec = Json.decodeYaml(DESIGN_EXAMPLE, StudySpec.class);
    assertThat(StudySpecValidator.validate(spec)).isEmpty();
    assertThat(spec.objectives())
        .extracting(Objective::name)
        .containsExactly("val_accuracy", "sgd_epoch_equivalents");
    assertThat(spec.objectives().get(1).goal()).isEqualTo(Goal.MINIMIZE);
    assertThat(spec.fixedOrEmpty()).containsEntry("batch-size", 128);
    assertThat(Json.decode(Json.encode(spec), StudySpec.class)).isEqualTo(spec);
  }

  @Test
  void errorsNameThePathAndTheRule() {
    assertThat(fields(DESIGN_EXAMPLE.replace("low: 0.01, high: 0.3", "low: 0.3, high: 0.01")))
        .containsExactly("space[1].low");
    assertThat(fields(DESIGN_EXAMPLE.replace("model: cnn-small", "model: vgg")))
        .containsExactly("model");
    assertThat(fields(DESIGN_EXAMPLE.replace("name: fashion-mnist", "name: imagenet")))
        .containsExactly("dataset.name");
    assertThat(fields(DESIGN_EXAMPLE.replace("metric: val_accuracy", "metric: accuracy")))
        .containsExactly("objectives[0].metric");
    assertThat(fields(DESIGN_EXAMPLE.replace("trials: 80", "trials: 0")))
        .containsExactly("budget.trials");
    assertThat(fields(DESIGN_EXAMPLE.replace("maxEpochs: 27", "maxEpochs: 0")))
        .containsExactly("scheduler.maxEpochs");
    assertThat(fields(DESIGN_EXAMPLE.replace("type: random", "type: annealing")))
        .containsExactly("sampler.type");
    assertThat(fields(DESIGN_EXAMPLE.replace("{name: k,", "{name: kk,")))
        .containsExactly("space[7].name");
    assertThat(fields(DESIGN_EXAMPLE.replace("ae-looksam, msam]}", "ae-looksam, adam]}")))
        .containsExactly("space[0].choices[6]");
    assertThat(fields(DESIGN_EXAMPLE.replace("momentum: 0.9", "momentun: 0.9")))
        .containsExactly("fixed.momentun");
    assertThat(fields(DESIGN_EXAMPLE.replace("labelNoise: 0.2", "labelNoise: 1.5")))
        .containsExactly("dataset.labelNoise");
    assertThat(
            fields(DESIGN_EXAMPLE.replace("when: {variant: [esam]}}", "when: {varient: [esam]}}")))
        .contains("space[3].when.varient");
  }

  @Test
  void nullElementsOfTheSpecsListsAreNamed() {
    List<FieldError> nullParam =
        StudySpecValidator.validate(
            Json.decodeYaml(
                DESIGN_EXAMPLE.replace("space:\n", "space:\n  - null\n"), StudySpec.class));
    assertThat(nullParam).containsExactly(new FieldError("space[0]", "must not be null"));
    assertThat(fields(DESIGN_EXAMPLE.replaceAll("space:\n(  - .*\n)+", "space: [null]\n")))
        .containsExactly("space[0]");
    assertThat(
            fields(DESIGN_EXAMPLE.replaceAll("objectives:\n(  - .*\n)+", "objectives: [null]\n")))
        .containsExactly("objectives[0]");
    assertThat(fields(DESIGN_EXAMPLE.replace("choices: [sgd,", "choices: [null, sgd,")))
        .containsExactly("space[0].choices[0]");
    assertThat(
            fields(DESIGN_EXAMPLE.replace("when: {variant: [esam]}}", "when: {variant: [null]}}")))
        .contains("space[3].when.variant[0]");
  }

  @Test
  void aParameterWithoutANameBeforeAConditionalOneIsNamed() {
    String yaml =
        DESIGN_EXAMPLE.replaceAll(
            "space:\n(  - .*\n)+",
            "space:\n"
                + "  - {type: float, low: 0, high: 1}\n"
                + "  - {name: rho, type: float, low: 0.01, high: 0.5, when: {variant: [sam]}}\n");
    assertThat(fields(yaml)).contains("space[0].name");
    String withParent =
        DESIGN_EXAMPLE.replace("space:\n", "space:\n  - {type: float, low: 0, high: 1}\n");
    assertThat(fields(withParent)).containsExactly("space[0].name");
  }

  @Test
  void multiFidelitySchedulersAreAcceptedAndTheirLadderChecked() {
    for (String type : List.of("sha", "asha", "hyperband", "bohb", "mo-asha")) {
      String yaml =
          DESIGN_EXAMPLE.replace(
              "{type: none, maxEpochs: 27}",
              "{type: " + type + ", minEpochs: 1, maxEpochs: 27, eta: 3}");
      assertThat(fields(yaml)).as(type).isEmpty();
    }
    String asha =
        DESIGN_EXAMPLE.replace("{type: none, maxEpochs: 27}", "{type: asha, maxEpochs: 27}");
    assertThat(fields(asha)).isEmpty(); // minEpochs 1 and eta 3 by default
    assertThat(fields(asha.replace("maxEpochs: 27", "minEpochs: 27, maxEpochs: 27")))
        .containsExactly("scheduler.minEpochs");
    assertThat(fields(asha.replace("maxEpochs: 27", "maxEpochs: 1")))
        .containsExactly("scheduler.minEpochs");
    assertThat(fields(asha.replace("maxEpochs: 27", "minEpochs: 30, maxEpochs: 27")))
        .containsExactly("scheduler.minEpochs");
    assertThat(fields(asha.replace("maxEpochs: 27", "maxEpochs: 27, eta: 1")))
        .containsExactly("scheduler.eta");
    assertThat(fields(asha.replace("maxEpochs: 27", "maxEpochs: 27, eta: 101")))
        .containsExactly("scheduler.eta");
    assertThat(fields(asha.replace("type: asha", "type: async-halving")))
        .containsExactly("scheduler.type");
    // A single-rung none study stays valid: minEpochs means nothing to it.
    assertThat(fields(DESIGN_EXAMPLE.replace("maxEpochs: 27", "minEpochs: 27, maxEpochs: 27")))
        .isEmpty();
    String mo = asha.replace("type: asha", "type: mo-asha");
    assertThat(fields(mo)).isEmpty();
    List<FieldError> oneObjective =
        StudySpecValidator.validate(
            Json.decodeYaml(
                mo.replace("  - {metric: sgd_epoch_equivalents, goal: minimize}\n", ""),
                StudySpec.class));
    assertThat(oneObjective).extracting(FieldError::field).containsExactly("scheduler.type");
    assertThat(oneObjective.get(0).message()).contains("exactly two objectives");
  }

  @Test
  void aTrainingSetThatCannotFitInAWorkerIsRefusedNamingItsSizeAndTheLimit() {
    String synthetic =
        DESIGN_EXAMPLE.replace(
            "dataset: {name: fashion-mnist, validationFraction: 0.1, labelNoise: 0.2}",
            "dataset: {name: synthetic, trainLimit: 2000000}");
    List<FieldError> errors =
        StudySpecValidator.validate(Json.decodeYaml(synthetic, StudySpec.class));
    assertThat(errors).extracting(FieldError::field).containsExactly("dataset.trainLimit");
    // 2,000,000 × (8·784 + 4) bytes
    assertThat(errors.get(0).message())
        .contains("2000000 'synthetic' examples", "11970.5 MiB", "512.0 MiB", "at most 85543");

    // the limit is the caller's: a larger one accepts it, 0 disables the check
    StudySpec spec = Json.decodeYaml(synthetic, StudySpec.class);
    assertThat(StudySpecValidator.validate(spec, 16L << 30)).isEmpty();
    assertThat(StudySpecValidator.validate(spec, 0)).isEmpty();
    Assertions.assertThatThrownBy(() -> StudySpecValidator.requireValid(spec, 1L << 30))
        .isInstanceOf(io.sharpsweep.protocol.ValidationException.class)
        .hasMessageContaining("dataset.trainLimit");

    // just below and just above the default limit
    assertThat(fields(synthetic.replace("trainLimit: 2000000", "trainLimit: 85543"))).isEmpty();
    assertThat(fields(synthetic.replace("trainLimit: 2000000", "trainLimit: 85544")))
        .containsExactly("dataset.trainLimit");

    // datasets on disk are counted at their real size: a trainLimit above it reads the whole set
    assertThat(StudySpecValidator.estimatedTrainingBytes(spec.dataset()))
        .isEqualTo(2_000_000L * 6276);
    DatasetSpec fmnist = new DatasetSpec("fashion-mnist", null, null, null, 10_000_000, null);
    assertThat(StudySpecValidator.trainingExamples(fmnist)).isEqualTo(60_000);
    assertThat(StudySpecValidator.estimatedTrainingBytes(fmnist)).isEqualTo(60_000L * 1569);
    DatasetSpec cifar = new DatasetSpec("cifar100", null, null, null, null, null);
    assertThat(StudySpecValidator.estimatedTrainingBytes(cifar)).isEqualTo(50_000L * 6145);
    assertThat(StudySpecValidator.validate(withDataset(spec, cifar), 100L << 20))
        .extracting(FieldError::field)
        .containsExactly("dataset.trainLimit");
    assertThat(StudySpecValidator.validate(withDataset(spec, cifar))).isEmpty();
  }

  @Test
  void everyExampleStudyOfTheRepositoryFitsTheDefaultLimit() throws java.io.IOException {
    java.nio.file.Path examples = java.nio.file.Path.of("..", "examples");
    List<java.nio.file.Path> files;
    try (var s = java.nio.file.Files.list(examples)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (java.nio.file.Path f : files) {
      StudySpec spec = Json.decodeYaml(java.nio.file.Files.readString(f), StudySpec.class);
      assertThat(StudySpecValidator.validate(spec, StudySpecValidator.DEFAULT_MAX_DATASET_BYTES))
          .as(f.toString())
          .isEmpty();
    }
  }

  private static StudySpec withDataset(StudySpec s, DatasetSpec d) {
    return new StudySpec(
        s.name(),
        d,
        s.model(),
        s.objectives(),
        s.space(),
        s.fixed(),
        s.sampler(),
        s.scheduler(),
        s.budget(),
        s.seed());
  }

  @Test
  void aPresetItemOfEnqueueStandsForThePresetsConfigurationsInPlace() {
    StudySpec spec =
        Json.decodeYaml(
            DESIGN_EXAMPLE.replace(
                "budget: {trials: 80, parallelism: 4}",
                "budget: {trials: 80, parallelism: 4}\n"
                    + "enqueue: [{variant: sgd, lr: 0.2}, {preset: papers}]"),
            StudySpec.class);
    assertThat(StudySpecValidator.validate(spec)).isEmpty();
    List<java.util.Map<String, Object>> first = spec.enqueuedConfigurations();
    // the user's configuration, then one per variant of the space at its papers' defaults
    assertThat(first).hasSize(8);
    assertThat(first.get(0)).containsEntry("variant", "sgd").containsEntry("lr", 0.2);
    assertThat(first.subList(1, 8))
        .extracting(c -> c.get("variant"))
        .containsExactly("sgd", "sam", "esam", "ae-sam", "looksam", "ae-looksam", "msam");
    assertThat(first.get(2)).containsEntry("rho", 0.05).containsEntry("lr", 0.05);
    assertThat(first.get(3)).containsEntry("beta", 0.6).containsEntry("gamma", 0.5);
  }

  @Test
  void anUnknownPresetOrAPresetBeyondTheBudgetIsRefusedNamingTheItem() {
    List<FieldError> unknown =
        errors(
            DESIGN_EXAMPLE.replace(
                "budget: {trials: 80, parallelism: 4}",
                "budget: {trials: 80, parallelism: 4}\nenqueue: [{variant: sgd, lr: 0.1}, {preset: paper}]"));
    assertThat(unknown).extracting(FieldError::field).containsExactly("enqueue[1].preset");
    assertThat(unknown.get(0).message()).isEqualTo("unknown preset 'paper': one of [papers]");
    // the preset holds seven configurations here, more than a budget of five trials
    List<FieldError> over =
        errors(
            DESIGN_EXAMPLE.replace(
                "budget: {trials: 80, parallelism: 4}",
                "budget: {trials: 5, parallelism: 4}\nenqueue: [{preset: papers}]"));
    assertThat(over).extracting(FieldError::field).containsExactly("enqueue");
    assertThat(over.get(0).message())
        .startsWith("holds 7 configurations, more than budget.trials (5)");
  }

  @Test
  void yamlSyntaxErrorsSayTheLine() {
    Assertions.assertThatThrownBy(
            () -> Json.decodeYaml("name: x\nbudget: {trials: [1, 2}\n", StudySpec.class))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("line");
  }

  private static List<FieldError> errors(String yaml) {
    return StudySpecValidator.validate(Json.decodeYaml(yaml, StudySpec.class));
  }

  private static String withFixed(String knobs) {
    return DESIGN_EXAMPLE.replace(
        "fixed: {batch-size: 128, momentum: 0.9}",
        "fixed: {batch-size: 128, momentum: 0.9, " + knobs + "}");
  }

  @Test
  void fixedValuesOutsideTheirKnobsRangeAreRefusedAtCreation() {
    assertThat(errors(withFixed("beta: 2")))
        .containsExactly(new FieldError("fixed.beta", "must be in (0, 1], got 2"));
    assertThat(errors(withFixed("beta: 0")))
        .containsExactly(new FieldError("fixed.beta", "must be in (0, 1], got 0"));
    assertThat(errors(withFixed("gamma: 0.0")))
        .containsExactly(new FieldError("fixed.gamma", "must be in (0, 1], got 0"));
    assertThat(errors(withFixed("delta: 1")))
        .containsExactly(new FieldError("fixed.delta", "must be in [0, 1), got 1"));
    assertThat(errors(withFixed("lr: 0")))
        .containsExactly(new FieldError("fixed.lr", "must be in (0, 100], got 0"));
    assertThat(errors(withFixed("rho: 10.5")))
        .containsExactly(new FieldError("fixed.rho", "must be in [0, 10], got 10.5"));
    assertThat(errors(withFixed("lambda2: -1001")))
        .containsExactly(new FieldError("fixed.lambda2", "must be in [-1000, 1000], got -1001"));
    assertThat(errors(withFixed("p: 1.01")))
        .containsExactly(new FieldError("fixed.p", "must be in [0, 1], got 1.01"));
    assertThat(errors(withFixed("weight-decay: -1.0e-4")))
        .containsExactly(new FieldError("fixed.weight-decay", "must be in [0, 1], got -0.0001"));
    assertThat(errors(DESIGN_EXAMPLE.replace("batch-size: 128", "batch-size: 0")))
        .containsExactly(new FieldError("fixed.batch-size", "must be in [1, 65536], got 0"));
  }

  @Test
  void fixedValuesOfTheWrongTypeAreRefused() {
    assertThat(errors(withFixed("k: 2.5")))
        .containsExactly(new FieldError("fixed.k", "must be an integer, got 2.5"));
    assertThat(errors(withFixed("k: 0")))
        .containsExactly(new FieldError("fixed.k", "must be in [1, 1000000], got 0"));
    assertThat(errors(withFixed("nesterov: yes-please")))
        .containsExactly(
            new FieldError("fixed.nesterov", "must be true or false, got \"yes-please\""));
    assertThat(errors(withFixed("rho: '0.1'")))
        .containsExactly(new FieldError("fixed.rho", "must be a number, got \"0.1\""));
    assertThat(errors(withFixed("variant: adam")))
        .containsExactly(
            new FieldError(
                "fixed.variant", "unknown variant 'adam': one of " + TrainingCatalog.VARIANTS));
  }

  @Test
  void fixedValuesOnTheirBoundsOrInsideAreAccepted() {
    assertThat(
            errors(
                withFixed(
                    "beta: 1, gamma: 1.0, delta: 0, rho: 0, lambda1: -1000, lambda2: 1000, k: 1,"
                        + " p: 0, eta: 10, monge-alpha: 1000000, alpha: 0, lr: 100, nesterov: true,"
                        + " variant: esam, weight-decay: 1")))
        .isEmpty();
    assertThat(errors(DESIGN_EXAMPLE.replace("batch-size: 128", "batch-size: 65536"))).isEmpty();
    assertThat(errors(DESIGN_EXAMPLE.replace("batch-size: 128", "batch-size: 256.0"))).isEmpty();
  }

  @Test
  void aSpaceWhoseRangeLeavesItsKnobsRangeIsRefusedNamingTheBound() {
    // space[3] is beta in (0, 1]: 1.0 is inside, 1.5 and 0 are not.
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "low: 0.3, high: 1.0, when: {variant: [esam]}}\n  - {name: gamma",
                    "low: 0.3, high: 1.5, when: {variant: [esam]}}\n  - {name: gamma")))
        .containsExactly(
            new FieldError("space[3].high", "must be in (0, 1] (the range of beta), got 1.5"));
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "{name: beta, type: float, low: 0.3,", "{name: beta, type: float, low: 0.0,")))
        .containsExactly(
            new FieldError("space[3].low", "must be in (0, 1] (the range of beta), got 0"));
    // space[5] is lambda1 in [-1000, 1000]: both bounds outside.
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "{name: lambda1, type: float, low: -2.0, high: 2.0,",
                    "{name: lambda1, type: float, low: -2000, high: 2000,")))
        .containsExactly(
            new FieldError(
                "space[5].low", "must be in [-1000, 1000] (the range of lambda1), got -2000"),
            new FieldError(
                "space[5].high", "must be in [-1000, 1000] (the range of lambda1), got 2000"));
    // space[8] is alpha in [0, 10]: a range partly outside is refused at the bound that leaves it.
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "{name: alpha, type: float, low: 0.1, high: 1.0,",
                    "{name: alpha, type: float, low: 5, high: 20,")))
        .containsExactly(
            new FieldError("space[8].high", "must be in [0, 10] (the range of alpha), got 20"));
    // space[1] is lr in (0, 100]: a linear range from 0 is refused.
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "{name: lr, type: float, low: 0.01, high: 0.3, log: true}",
                    "{name: lr, type: float, low: 0, high: 0.3}")))
        .containsExactly(
            new FieldError("space[1].low", "must be in (0, 100] (the range of lr), got 0"));
    // space[7] is k in [1, 1000000].
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "{name: k, type: int, low: 2,", "{name: k, type: int, low: 0,")))
        .containsExactly(
            new FieldError("space[7].low", "must be in [1, 1000000] (the range of k), got 0"));
  }

  @Test
  void aSpaceOnTheKnobsBoundsIsAccepted() {
    String edges =
        DESIGN_EXAMPLE
            .replace(
                "{name: beta, type: float, low: 0.3, high: 1.0,",
                "{name: beta, type: float, low: 0.001, high: 1,")
            .replace(
                "{name: k, type: int, low: 2, high: 10,",
                "{name: k, type: int, low: 1, high: 1000000,")
            .replace(
                "{name: alpha, type: float, low: 0.1, high: 1.0,",
                "{name: alpha, type: float, low: 0, high: 10,")
            .replace(
                "{name: lambda1, type: float, low: -2.0, high: 2.0,",
                "{name: lambda1, type: float, low: -1000, high: 1000,");
    assertThat(errors(edges)).isEmpty();
  }

  @Test
  void aSpaceParameterOfTheWrongTypeOrWithABadChoiceIsRefused() {
    assertThat(errors(DESIGN_EXAMPLE.replace("{name: k, type: int,", "{name: k, type: float,")))
        .containsExactly(
            new FieldError(
                "space[7].type",
                "knob 'k' takes integers in [1, 1000000]: use type int or categorical, got type float"));
    String withExtra =
        DESIGN_EXAMPLE.replace(
            "fixed: {batch-size: 128, momentum: 0.9}",
            "  - {name: batch-size, type: categorical, choices: [64, 0, 128.5]}\n"
                + "  - {name: nesterov, type: categorical, choices: [true, maybe]}\n"
                + "  - {name: weight-decay, type: int, low: 0, high: 1}\n"
                + "fixed: {momentum: 0.9}");
    assertThat(errors(withExtra))
        .containsExactly(
            new FieldError("space[9].choices[1]", "must be in [1, 65536], got 0"),
            new FieldError("space[9].choices[2]", "must be an integer, got 128.5"),
            new FieldError("space[10].choices[1]", "must be true or false, got \"maybe\""));
    assertThat(
            errors(
                DESIGN_EXAMPLE.replace(
                    "fixed: {batch-size: 128, momentum: 0.9}",
                    "  - {name: nesterov, type: int, low: 0, high: 1}\n"
                        + "fixed: {batch-size: 128, momentum: 0.9}")))
        .containsExactly(
            new FieldError(
                "space[9].type",
                "knob 'nesterov' takes true or false: use type categorical with choices [true,"
                    + " false], got type int"));
  }
}
