package io.sharpsweep.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.api.VariantsAnswer.Point;
import io.sharpsweep.protocol.api.VariantsAnswer.Spread;
import io.sharpsweep.protocol.api.VariantsAnswer.VariantRow;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.StudySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The JSON field names of the store's REST answers, which the dashboard's JavaScript and external
 * clients read: each answer is filled in every field and its field paths ({@code a.b}, {@code
 * a[].b} inside lists) compared with the names the API has always had.
 */
class AnswerWireFormatTest {
  /** The services' mapper is configured by {@link Json#configure}, as this one. */
  private static final ObjectMapper MAPPER = Json.mapper();

  private static final Objective OBJECTIVE = new Objective("val_accuracy", Goal.MAXIMIZE);
  private static final Metrics METRICS = new Metrics(0.9, 0.3, 0.2, 0.89);
  private static final Cost COST = new Cost(10, 10, 600, 0.5, 12.5, 2.0);
  private static final Instant AT = Instant.parse("2026-12-07T12:00:00Z");
  private static final String METRIC_NAMES =
      "metrics.valAccuracy metrics.valLoss metrics.trainLoss metrics.testAccuracy";
  private static final String COST_NAMES =
      "cost.forwardPasses cost.backwardPasses cost.examplesBackward cost.samStepFraction"
          + " cost.wallSeconds cost.sgdEpochEquivalents";

  private static TrialView trial() {
    return new TrialView(
        "s1-t0001",
        1,
        "completed",
        1,
        3,
        2,
        "why",
        Map.of(),
        Map.of(),
        AT,
        AT,
        List.of(new EpochView(1, 3, METRICS, COST, "w1", "file:/c", true, AT)));
  }

  @Test
  void studiesAndTrials() {
    Counts counts = new Counts(1, 2, 3, 4, 10);
    assertNames(
        List.of(new StudySummary("s1", "name", "running", counts, OBJECTIVE, 0.9, AT)),
        "[].id [].name [].state [].trials [].trials.running [].trials.parked"
            + " [].trials.completed [].trials.failed [].trials.total [].objective"
            + " [].objective.name [].objective.goal [].bestValue [].createdAt");
    StudySpec spec = Json.decode("{\"name\": \"s\"}", StudySpec.class);
    assertNames(
        new StudyDetail("s1", "name", "failed", "why", spec, counts, 7, AT, AT),
        "id name state reason spec spec.name trials trials.running trials.parked"
            + " trials.completed trials.failed trials.total reportsStored createdAt updatedAt");
    assertNames(
        trial(),
        "trialId number state attempt lastEpoch rung reason params config createdAt updatedAt"
            + " epochs epochs[].attempt epochs[].epoch epochs[].workerId epochs[].checkpointUri"
            + " epochs[].final epochs[].receivedAt epochs[].metrics epochs[].cost "
            + (METRIC_NAMES + " " + COST_NAMES)
                .replace("metrics.", "epochs[].metrics.")
                .replace("cost.", "epochs[].cost."));
    assertNames(
        new Curve("s1", "s1-t0001", List.of(new CurvePoint(1, 1, 0.9, 0.3, 0.2, 0.89, 1, 2))),
        "studyId trialId points points[].epoch points[].attempt points[].valAccuracy"
            + " points[].valLoss points[].trainLoss points[].testAccuracy"
            + " points[].sgdEpochEquivalents points[].wallSeconds");
    assertNames(
        List.of(
            new ExportRow(
                "s1-t0001", 1, "completed", 1, 2, 3, Map.of(), 0.9, 0.3, 0.2, 0.89, 2.0, 12.5)),
        "[].trialId [].number [].state [].attempt [].rung [].epoch [].params"
            + " [].valAccuracy [].valLoss [].trainLoss [].testAccuracy [].sgdEpochEquivalents"
            + " [].wallSeconds");
  }

  @Test
  void bestAndPareto() {
    assertNames(
        new BestAnswer(
            "s1",
            OBJECTIVE,
            4.0,
            new BestTrial("s1-t0001", 1, 0.9, 1, 3, Map.of(), Map.of(), METRICS, COST, "file:/c"),
            "why"),
        "studyId objective objective.name objective.goal maxCost reason best best.trialId"
            + " best.number best.value best.attempt best.epoch best.params best.config"
            + " best.checkpointUri best.metrics best.cost "
            + (METRIC_NAMES + " " + COST_NAMES)
                .replace("metrics.", "best.metrics.")
                .replace("cost.", "best.cost."));
    // a study without a completed trial: best is there, as null
    JsonNode none = MAPPER.valueToTree(new BestAnswer("s1", OBJECTIVE, null, null, "none"));
    assertThat(none.has("best")).isTrue();
    assertThat(none.get("best").isNull()).isTrue();
    assertNames(
        new ParetoAnswer(
            "s1",
            OBJECTIVE,
            new Objective("sgd_epoch_equivalents", Goal.MINIMIZE),
            "completed",
            5,
            List.of(1.0, 0.0),
            "rule",
            0.5,
            List.of(new ParetoPoint("s1-t0001", 1, "completed", 1, 3, 0.9, 2.0, Map.of()))),
        "studyId x x.name x.goal y y.name y.goal basis candidates referencePoint"
            + " referenceRule hypervolume front front[].trialId front[].number front[].state"
            + " front[].attempt front[].epoch front[].x front[].y front[].params");
    assertNames(
        new RungsAnswer(
            "s1",
            "asha",
            3,
            List.of(1, 3, 9),
            List.of(new RungOccupancy(0, 1, 9, 3, 1, 0, 1, 2)),
            List.of(new BracketOccupancy(0, 2, 0, 0, 9, 9)),
            "why"),
        "studyId scheduler eta epochs rungs rungs[].rung rungs[].epoch rungs[].trials"
            + " rungs[].promoted rungs[].parked rungs[].completed rungs[].failed rungs[].running"
            + " brackets brackets[].bracket brackets[].s brackets[].minRung"
            + " brackets[].firstNumber brackets[].size brackets[].created reason");
  }

  @Test
  void analyses() {
    assertNames(
        new ImportanceAnswer(
            "s1",
            OBJECTIVE,
            "fanova",
            64,
            1L,
            10,
            List.of(new ParamImportance("rho", 0.5, 0.1, 6, Map.of(), "note")),
            "why"),
        "studyId objective objective.name objective.goal method trees seed trials importances"
            + " importances[].param importances[].importance importances[].std"
            + " importances[].trials importances[].condition importances[].note reason");
    Point p = new Point("s1-t0001", 1, 0.9, 2.0);
    assertNames(
        new VariantsAnswer(
            "s1",
            "val_accuracy",
            "sgd_epoch_equivalents",
            7,
            p,
            List.of(
                new VariantRow(
                    "sam",
                    new Spread(3, 0.8, 0.1, 0.7, 0.75, 0.8, 0.85, 0.9),
                    2.0,
                    p,
                    p,
                    0.01,
                    0.02,
                    1.0,
                    0.02,
                    "note")),
            "why"),
        "studyId metric cost trials reason sgdBest sgdBest.trialId sgdBest.number"
            + " sgdBest.accuracy sgdBest.cost variants variants[].variant variants[].accuracy"
            + " variants[].accuracy.trials variants[].accuracy.mean variants[].accuracy.std"
            + " variants[].accuracy.min variants[].accuracy.q1 variants[].accuracy.median"
            + " variants[].accuracy.q3 variants[].accuracy.max variants[].medianCost"
            + " variants[].best variants[].best.trialId variants[].best.number"
            + " variants[].best.accuracy variants[].best.cost variants[].sgdAtEqualCost"
            + " variants[].sgdAtEqualCost.trialId variants[].sgdAtEqualCost.number"
            + " variants[].sgdAtEqualCost.accuracy variants[].sgdAtEqualCost.cost"
            + " variants[].gainAtEqualCost variants[].gainOverBestSgd variants[].extraCost"
            + " variants[].gainPerExtraCost variants[].note");
  }

  @Test
  void timesAreIsoTextAndAnswersReadBackEqual() {
    JsonNode t = MAPPER.valueToTree(trial());
    assertThat(t.get("createdAt").asText()).isEqualTo("2026-12-07T12:00:00Z");
    assertThat(Json.decode(Json.encode(trial()), TrialView.class)).isEqualTo(trial());
  }

  private static void assertNames(Object answer, String expected) {
    TreeSet<String> names = new TreeSet<>();
    collect(MAPPER.valueToTree(answer), "", names);
    assertThat(names)
        .as("JSON field names of %s", answer.getClass().getSimpleName())
        .containsExactlyInAnyOrderElementsOf(new TreeSet<>(List.of(expected.split(" "))));
  }

  private static void collect(JsonNode node, String path, TreeSet<String> names) {
    if (node.isArray()) {
      node.forEach(e -> collect(e, path + "[]", names));
    } else if (node.isObject()) {
      List<String> fields = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        fields.add(it.next());
      }
      for (String f : fields) {
        String p = path.isEmpty() ? f : path + "." + f;
        names.add(p);
        collect(node.get(f), p, names);
      }
    }
  }
}
