package io.sharpsweep.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.store.db.ReportRepository.CompletedTrial;
import io.sharpsweep.store.db.StoredReport;
import io.sharpsweep.store.db.TrialRow;
import io.sharpsweep.store.db.TrialState;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestTrialSelectorTest {
  private static CompletedTrial trial(
      String id, Double valAccuracy, Double testAccuracy, double cost) {
    TrialRow row =
        new TrialRow(id, "s", 0, "{}", "{}", TrialState.COMPLETED, 1, 3, null, null, null);
    StoredReport last =
        new StoredReport(
            "s",
            id,
            1,
            3,
            new Metrics(valAccuracy, 0.5, 0.4, testAccuracy),
            new Cost(1, 1, 1, 1, 10, cost),
            "w",
            null,
            true,
            null);
    return new CompletedTrial(row, last);
  }

  private static final List<CompletedTrial> TRIALS =
      List.of(
          trial("a", 0.71, null, 3.0),
          trial("b", 0.88, 0.86, 6.0),
          trial("c", 0.88, 0.87, 2.0),
          trial("d", Double.NaN, 0.9, 1.0));

  @Test
  void maximizingPicksTheHighestFiniteValueAndTheFirstOfEqualOnes() {
    BestTrialSelector.Ranked best =
        BestTrialSelector.best(TRIALS, new Objective("val_accuracy", Goal.MAXIMIZE)).orElseThrow();
    assertThat(best.trial().trial().trialId()).isEqualTo("b");
    assertThat(best.value()).isEqualTo(0.88);
  }

  @Test
  void minimizingACostPicksTheCheapest() {
    BestTrialSelector.Ranked best =
        BestTrialSelector.best(TRIALS, new Objective("sgd_epoch_equivalents", Goal.MINIMIZE))
            .orElseThrow();
    assertThat(best.trial().trial().trialId()).isEqualTo("d");
    assertThat(best.value()).isEqualTo(1.0);
  }

  @Test
  void trialsWithoutTheMetricAreSkipped() {
    assertThat(
            BestTrialSelector.best(TRIALS, new Objective("test_accuracy", Goal.MAXIMIZE))
                .orElseThrow()
                .value())
        .isEqualTo(0.9);
    assertThat(
            BestTrialSelector.best(
                List.of(trial("a", 0.7, null, 1)), new Objective("test_accuracy", Goal.MAXIMIZE)))
        .isEmpty();
    assertThat(BestTrialSelector.best(List.of(), new Objective("val_accuracy", Goal.MAXIMIZE)))
        .isEmpty();
  }
}
