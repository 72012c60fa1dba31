package io.sharpsweep.protocol.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every entry of the one metric catalogue is complete and reads the report field it names. */
class MetricCatalogueTest {
  private static final Metrics METRICS = new Metrics(0.91, 0.35, 0.28, 0.89);
  private static final Cost COST = new Cost(10, 20, 30, 0.5, 12.5, 2.75);

  @Test
  void everyMetricReadsTheReportFieldItNames() throws Exception {
    for (Metric m : MetricCatalogue.all()) {
      String[] field = m.field().split("\\.");
      assertThat(field).as(m.name()).hasSize(2);
      Object record = field[0].equals("metrics") ? METRICS : COST;
      assertThat(field[0]).as(m.name()).isIn("metrics", "cost");
      Object expected = record.getClass().getMethod(field[1]).invoke(record);
      assertThat(m.valueIn(METRICS, COST))
          .as(m.name())
          .isEqualTo(((Number) expected).doubleValue());
      assertThat(m.cost()).as(m.name()).isEqualTo(field[0].equals("cost"));
      assertThat(m.valueIn(null, null)).as("%s without a report", m.name()).isNull();
      assertThat(ObjectiveValues.of(m.name(), METRICS, COST)).isEqualTo(m.valueIn(METRICS, COST));
    }
  }

  @Test
  void everyMetricHasAGoalAUnitAColumnAndLabels() {
    Set<String> columns = new HashSet<>();
    for (Metric m : MetricCatalogue.all()) {
      assertThat(m.goal()).as(m.name()).isNotNull();
      assertThat(m.unit()).as(m.name()).isNotBlank();
      assertThat(m.label()).as(m.name()).isNotBlank();
      assertThat(m.shortLabel()).as(m.name()).isNotBlank();
      assertThat(m.digits()).as(m.name()).isBetween(0, 8);
      // Spliced into SQL by the store: a plain identifier, one column per metric.
      assertThat(m.column()).as(m.name()).matches("[a-z][a-z0-9_]*");
      assertThat(columns.add(m.column())).as("column %s once", m.column()).isTrue();
      assertThat(MetricCatalogue.of(m.name())).isSameAs(m);
    }
    assertThat(TrainingCatalog.METRICS).containsExactlyElementsOf(MetricCatalogue.names());
    assertThat(MetricCatalogue.VAL_ACCURACY.goal()).isEqualTo(Goal.MAXIMIZE);
    assertThat(MetricCatalogue.SGD_EPOCH_EQUIVALENTS.goal()).isEqualTo(Goal.MINIMIZE);
  }

  @Test
  void anUnknownNameIsRefusedWithTheKnownOnes() {
    assertThat(MetricCatalogue.find("val_acc")).isEmpty();
    assertThatThrownBy(() -> ObjectiveValues.of("val_acc", METRICS, COST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown metric 'val_acc': one of [val_accuracy, val_loss, train_loss, test_accuracy,"
                + " sgd_epoch_equivalents, wall_seconds]");
  }
}
