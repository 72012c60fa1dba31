package io.sharpsweep.scheduler.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.RungDecision;
import io.sharpsweep.protocol.messages.RungDecision.Action;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import io.sharpsweep.protocol.messages.StudyEvent;
import io.sharpsweep.protocol.messages.StudyStateChanged;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.SamplerService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coordinator following multi-fidelity decisions, without Kafka: the real sampler core answers,
 * a recording publisher stands for the broker (the Kafka path is {@code MultiFidelityStudyTest}).
 */
class MultiFidelityCoordinatorTest {
  static final String SPEC =
      """
      name: mf-test
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
        - {name: momentum, type: float, low: 0.5, high: 0.99}
      sampler: {type: random, seed: 3}
      scheduler: {type: asha, minEpochs: 1, maxEpochs: 9, eta: 3}
      budget: {trials: 3, parallelism: 2, maxAttempts: 2}
      """;

  /** What the coordinator sent, in order. */
  static final class Recorder implements StudyPublisher {
    final List<Object> sent = new ArrayList<>();

    @Override
    public void publish(StudyEvent event) {
      sent.add(event);
    }

    @Override
    public void publish(SegmentAssignment assignment) {
      sent.add(assignment);
    }

    List<SegmentAssignment> assignments() {
      return sent.stream()
          .filter(SegmentAssignment.class::isInstance)
          .map(SegmentAssignment.class::cast)
          .toList();
    }

    List<String> segments() {
      return assignments().stream()
          .map(
              a ->
                  a.trialId().substring(a.trialId().length() - 2)
                      + "#"
                      + a.attempt()
                      + " "
                      + a.fromEpoch()
                      + "-"
                      + a.toEpoch())
          .toList();
    }
  }

  private final Recorder publisher = new Recorder();
  private final List<SuggestRequest> requests = new ArrayList<>();
  private final SamplerService sampler = new SamplerService();
  private final StudyCoordinator coordinator =
      new StudyCoordinator(
          r -> {
            requests.add(r);
            return sampler.suggest(r);
          },
          publisher,
          Clock.systemUTC());

  private static StudySpec spec(String yaml) {
    return Json.decodeYaml(yaml, StudySpec.class);
  }

  private static RungDecision decision(
      Study study,
      int number,
      int attempt,
      int rung,
      int epoch,
      Action action,
      Integer toEpoch,
      double accuracy) {
    String trial = TrialIds.trialId(study.id(), number);
    return new RungDecision(
        1,
        study.id(),
        trial,
        attempt,
        rung,
        epoch,
        action,
        new Metrics(accuracy, 0.5, 0.4, null),
        new Cost(1, 1, 10, 0, 0.1, epoch),
        "file:///ckpt/" + trial + "/" + epoch,
        action == Action.FAILED ? "boom" : null,
        toEpoch);
  }

  @Test
  void parkFreesTheSlotForANewConfigurationAndPromoteResumesFromTheCheckpoint() {
    Study study = coordinator.create(spec(SPEC));
    assertThat(publisher.segments()).containsExactly("00#1 0-1", "01#1 0-1");
    assertThat(publisher.assignments())
        .allSatisfy(
            a -> {
              assertThat(a.maxEpochs()).isEqualTo(9);
              assertThat(a.checkpointUri()).isNull();
            });

    coordinator.onDecision(decision(study, 0, 1, 0, 1, Action.PARK, null, 0.5));
    assertThat(publisher.segments()).containsExactly("00#1 0-1", "01#1 0-1", "02#1 0-1");
    assertThat(coordinator.parked(study.id())).containsExactly(TrialIds.trialId(study.id(), 0));

    // t2's report promotes the parked t0 (published first), then parks t2: t0 resumes in t2's slot.
    coordinator.onDecision(decision(study, 0, 1, 0, 1, Action.PROMOTE, 3, 0.5));
    assertThat(study.waiting()).isEqualTo(1); // both slots busy until t2's decision arrives
    coordinator.onDecision(decision(study, 2, 1, 0, 1, Action.PARK, null, 0.4));
    SegmentAssignment resumed = publisher.assignments().get(3);
    assertThat(resumed.trialId()).isEqualTo(TrialIds.trialId(study.id(), 0));
    assertThat(resumed.attempt()).isEqualTo(1);
    assertThat(resumed.fromEpoch()).isEqualTo(1);
    assertThat(resumed.toEpoch()).isEqualTo(3);
    assertThat(resumed.checkpointUri()).isEqualTo("file:///ckpt/" + resumed.trialId() + "/1");
    assertThat(coordinator.parked(study.id())).containsExactly(TrialIds.trialId(study.id(), 2));

    // A duplicate decision changes nothing.
    coordinator.onDecision(decision(study, 2, 1, 0, 1, Action.PARK, null, 0.4));
    assertThat(publisher.assignments()).hasSize(4);

    // The promoted segment fails: retried as attempt 2 from the same start and checkpoint.
    coordinator.onDecision(decision(study, 0, 1, 0, 1, Action.FAILED, null, 0));
    SegmentAssignment retry = publisher.assignments().get(4);
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.fromEpoch()).isEqualTo(1);
    assertThat(retry.toEpoch()).isEqualTo(3);
    assertThat(retry.checkpointUri()).isEqualTo(resumed.checkpointUri());

    coordinator.onDecision(decision(study, 1, 1, 0, 1, Action.PARK, null, 0.3));
    assertThat(study.state()).isEqualTo(StudyStateChanged.State.RUNNING); // t0 still trains
    coordinator.onDecision(decision(study, 0, 2, 1, 3, Action.PROMOTE, 9, 0.6));
    coordinator.onDecision(decision(study, 0, 2, 2, 9, Action.COMPLETE, null, 0.7));
    // Budget of 3 configurations created, nothing in flight, nothing waiting: over (t1, t2 stay
    // parked).
    assertThat(study.state()).isEqualTo(StudyStateChanged.State.COMPLETED);
    assertThat(study.completed()).isEqualTo(1);
    assertThat(study.parked()).isEqualTo(2);
    assertThat(publisher.segments())
        .containsExactly("00#1 0-1", "01#1 0-1", "02#1 0-1", "00#1 1-3", "00#2 1-3", "00#2 3-9");
    assertThat(publisher.sent.get(publisher.sent.size() - 1))
        .isInstanceOfSatisfying(
            StudyStateChanged.class,
            s -> assertThat(s.state()).isEqualTo(StudyStateChanged.State.COMPLETED));
  }

  @Test
  void waitingPromotionsGoFirstHighestRungFirst() {
    Study study = coordinator.create(spec(SPEC.replace("trials: 3", "trials: 10")));
    // Both slots busy; two promotions queue up, the higher rung first.
    coordinator.onDecision(decision(study, 0, 1, 0, 1, Action.PARK, null, 0.5)); // slot → t2
    coordinator.onDecision(decision(study, 0, 1, 0, 1, Action.PROMOTE, 3, 0.5));
    coordinator.onDecision(
        decision(study, 1, 1, 0, 1, Action.PROMOTE, 3, 0.6)); // t1's own segment ends: t1 waits too
    assertThat(study.waiting()).isEqualTo(1); // t1's slot went to the first waiting promotion (t0)
    assertThat(publisher.segments()).endsWith("00#1 1-3");
    coordinator.onDecision(
        decision(study, 0, 1, 1, 3, Action.PROMOTE, 9, 0.7)); // t0 ends rung 1: promoted again
    // The rung-1 promotion of t0 goes before the rung-0 promotion of t1.
    assertThat(publisher.segments()).endsWith("00#1 1-3", "00#1 3-9");
    coordinator.onDecision(decision(study, 2, 1, 0, 1, Action.PARK, null, 0.1));
    assertThat(publisher.segments()).endsWith("00#1 3-9", "01#1 1-3");
    assertThat(study.waiting()).isZero();
  }

  @Test
  void hyperbandGivesEachNewTrialItsBracketsFirstRung() {
    String hyperband =
        SPEC.replace("type: asha", "type: hyperband")
            .replace("trials: 3, parallelism: 2", "trials: 17, parallelism: 20");
    coordinator.create(spec(hyperband));
    // K = 2: brackets of 9 trials to epoch 1, 5 to epoch 3, 3 straight to 9.
    List<Integer> ends = publisher.assignments().stream().map(SegmentAssignment::toEpoch).toList();
    assertThat(ends).hasSize(17);
    assertThat(ends.subList(0, 9)).containsOnly(1);
    assertThat(ends.subList(9, 14)).containsOnly(3);
    assertThat(ends.subList(14, 17)).containsOnly(9);
  }

  @Test
  void bohbFeedsTheSamplerOneRungTheFullestUntilOneHasEnough() {
    String bohb =
        SPEC.replace("type: asha", "type: bohb")
            .replace("trials: 3, parallelism: 2", "trials: 17, parallelism: 5");
    Study study = coordinator.create(spec(bohb));
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).observationsOrEmpty()).isEmpty();
    // Four trials promoted from rung 0: their slots go to their own next segments, no new
    // configuration is asked for.
    for (int i = 0; i < 4; i++) {
      coordinator.onDecision(decision(study, i, 1, 0, 1, Action.PROMOTE, 3, 0.1 * (i + 1)));
    }
    assertThat(requests).hasSize(1);
    // d = 2 parameters: no rung has 10·(d+1) = 30 observations, so the sampler learns from the
    // fullest rung (the
    // higher on a tie). The first rung-1 result frees a slot; rung 0 has 4, rung 1 has 1.
    coordinator.onDecision(decision(study, 0, 1, 1, 3, Action.PARK, null, 0.5));
    assertThat(values(requests.get(1))).containsExactly(0.1, 0.2, 0.30000000000000004, 0.4);
    coordinator.onDecision(decision(study, 1, 1, 1, 3, Action.PARK, null, 0.6));
    coordinator.onDecision(decision(study, 2, 1, 1, 3, Action.PARK, null, 0.7));
    assertThat(values(requests.get(3))).hasSize(4); // rung 1 has 3: still rung 0
    coordinator.onDecision(decision(study, 3, 1, 1, 3, Action.PARK, null, 0.8));
    // Rung 1 now has as many as rung 0: the sampler learns from rung 1 alone, never from a mix.
    assertThat(values(requests.get(4))).containsExactly(0.5, 0.6, 0.7, 0.8);
    // Every request of a multi-fidelity study has its own seed (SamplerSpec#reseeded).
    assertThat(requests.stream().map(r -> r.sampler().seed()).distinct().count())
        .isEqualTo(requests.size());
  }

  private static List<Double> values(SuggestRequest r) {
    return r.observationsOrEmpty().stream().map(o -> o.values().get(0)).toList();
  }
}
