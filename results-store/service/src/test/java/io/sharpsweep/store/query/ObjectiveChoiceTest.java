package io.sharpsweep.store.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.study.Goal;
import io.sharpsweep.protocol.study.Objective;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrainingCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectiveChoiceTest {
  private static StudySpec spec(Objective... objectives) {
    return new StudySpec(
        "s", null, "mlp", List.of(objectives), List.of(), null, null, null, null, null);
  }

  private static final StudySpec TWO_OBJECTIVES =
      spec(
          new Objective("val_loss", Goal.MINIMIZE),
          new Objective("sgd_epoch_equivalents", Goal.MAXIMIZE));

  @Test
  void withoutAMetricTheStudysFirstObjectiveIsUsed() {
    assertThat(ObjectiveChoice.primary(TWO_OBJECTIVES))
        .isEqualTo(new Objective("val_loss", Goal.MINIMIZE));
    assertThat(ObjectiveChoice.resolve(TWO_OBJECTIVES, "", null))
        .isEqualTo(new Objective("val_loss", Goal.MINIMIZE));
  }

  @Test
  void theStudysGoalForAMetricWinsOverItsNaturalDirection() {
    assertThat(ObjectiveChoice.resolve(TWO_OBJECTIVES, "sgd_epoch_equivalents", null).goal())
        .isEqualTo(Goal.MAXIMIZE);
    assertThat(ObjectiveChoice.resolve(TWO_OBJECTIVES, "val_accuracy", null).goal())
        .isEqualTo(Goal.MAXIMIZE);
    assertThat(ObjectiveChoice.resolve(TWO_OBJECTIVES, "wall_seconds", null).goal())
        .isEqualTo(Goal.MINIMIZE);
    assertThat(ObjectiveChoice.resolve(TWO_OBJECTIVES, "val_loss", "max").goal())
        .isEqualTo(Goal.MAXIMIZE);
  }

  @Test
  void aStudyWithoutSpecRanksByValidationAccuracy() {
    assertThat(ObjectiveChoice.primary(null))
        .isEqualTo(new Objective("val_accuracy", Goal.MAXIMIZE));
  }

  @Test
  void everyCatalogMetricHasANaturalGoal() {
    for (String metric : TrainingCatalog.METRICS) {
      assertThat(ObjectiveChoice.resolve(null, metric, null).name()).isEqualTo(metric);
    }
  }

  @Test
  void unknownObjectiveOrGoalNamesTheParameter() {
    assertThatThrownBy(() -> ObjectiveChoice.resolve(TWO_OBJECTIVES, "accuracy", null))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.errors())
                  .singleElement()
                  .satisfies(f -> assertThat(f.field()).isEqualTo("objective"));
              assertThat(e.errors().get(0).message())
                  .startsWith(
                      "unknown objective 'accuracy': one of [sgd_epoch_equivalents, test_accuracy");
            });
    assertThatThrownBy(() -> ObjectiveChoice.resolve(TWO_OBJECTIVES, null, "up"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("goal"));
  }
}
