package io.sharpsweep.scheduler.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.SuggestContext;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.suggest.SuggestResponse;
import io.sharpsweep.protocol.suggest.Suggestion;
import io.sharpsweep.sampler.SamplerService;
import io.sharpsweep.scheduler.SamplerEndpointResource;
import io.sharpsweep.scheduler.control.ControlClient;
import io.sharpsweep.scheduler.control.FakeControlPlane;
import io.sharpsweep.scheduler.sampler.HttpSuggestionSource;
import io.sharpsweep.scheduler.sampler.SamplerUnavailableException;
import io.sharpsweep.scheduler.sampler.SuggestionSource;
import io.sharpsweep.scheduler.trials.TrialFactory.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trial factory against a control endpoint over HTTP that enforces the store's numbering rule,
 * and the real sampler behind {@code POST /v1/suggest}.
 */
class TrialFactoryTest {
  static final String SPEC =
      """
      name: factory-test
      dataset: {name: synthetic}
      model: mlp
      objectives: [{metric: val_accuracy, goal: maximize}]
      space:
        - {name: lr, type: float, low: 0.001, high: 0.5, log: true}
        - {name: variant, type: categorical, choices: [sgd, sam]}
      sampler: {type: random, seed: 3}
      scheduler: {maxEpochs: 2}
      budget: {trials: 5, parallelism: 2}
      """;

  static SamplerEndpointResource samplerEndpoint;
  static String samplerUrl;
  static FakeControlPlane plane;

  private final List<ExecutorService> executors = new ArrayList<>();

  @BeforeAll
  static void startEndpoints() {
    samplerEndpoint = new SamplerEndpointResource();
    samplerUrl = samplerEndpoint.start().get("sharpsweep.scheduler.sampler-url");
    plane = new FakeControlPlane();
  }

  @AfterAll
  static void stopEndpoints() {
    samplerEndpoint.stop();
    plane.close();
  }

  @BeforeEach
  void reset() {
    plane.reset();
  }

  @AfterEach
  void stopExecutors() {
    executors.forEach(ExecutorService::shutdownNow);
  }

  private static StudySpec spec(String yaml) {
    return Json.decodeYaml(yaml, StudySpec.class);
  }

  private static ControlClient store() {
    return new ControlClient(plane.url(), Duration.ofSeconds(5), Optional.empty());
  }

  private static SuggestionSource sampler() {
    return new HttpSuggestionSource(samplerUrl, Duration.ofSeconds(10));
  }

  private TrialFactory factory(SuggestionSource sampler, int threads) {
    ExecutorService e = Executors.newFixedThreadPool(threads);
    executors.add(e);
    return new TrialFactory(store(), sampler, e);
  }

  @Test
  void createsExactlyTheWantedNumberOfTrialsWithTheSamplersConfigurations() {
    plane.put("st-a", spec(SPEC));
    ControlClient store = store();
    SuggestContext context = store.suggestContext("st-a").orElseThrow();
    assertThat(context.firstNumber()).isZero();
    assertThat(context.request().count()).isEqualTo(2);
    SuggestResponse expected = new SamplerService().suggest(context.request());

    TrialFactory factory = factory(sampler(), 1);
    assertThat(factory.fill("st-a")).isEqualTo(Outcome.NOTHING_WANTED);
    assertThat(plane.trials("st-a"))
        .containsExactlyElementsOf(
            expected.suggestions().stream().map(Suggestion::params).toList());
    assertThat(plane.trials("st-a")).allSatisfy(p -> assertThat(p).containsKeys("lr", "variant"));
    assertThat(factory.trialsCreated()).isEqualTo(2);

    // nothing more while both trials run
    assertThat(factory.fill("st-a")).isEqualTo(Outcome.NOTHING_WANTED);
    assertThat(plane.trials("st-a")).hasSize(2);

    // each freed slot is one more trial, and never more than the budget
    for (int i = 0; i < 6; i++) {
      plane.finish("st-a", 1);
      factory.fill("st-a");
    }
    assertThat(plane.trials("st-a")).hasSize(5);
    assertThat(plane.accepted).extracting(NewTrials::firstNumber).containsExactly(0, 2, 3, 4);
    assertThat(plane.conflicts.get()).isZero();
  }

  @Test
  void aConflictDropsTheAnswerAndCreatesNoDuplicate() throws Exception {
    plane.put("st-b", spec(SPEC));
    TrialFactory one = factory(sampler(), 1);
    TrialFactory two = factory(sampler(), 1);
    plane.holdSuggestContexts(2); // both read the same context before either posts
    CompletableFuture<Outcome> a = CompletableFuture.supplyAsync(() -> one.fillOnce("st-b"));
    CompletableFuture<Outcome> b = CompletableFuture.supplyAsync(() -> two.fillOnce("st-b"));
    assertThat(List.of(a.get(), b.get()))
        .containsExactlyInAnyOrder(Outcome.CREATED, Outcome.CONFLICT);
    plane.holdSuggestContexts(1);
    assertThat(plane.trials("st-b")).hasSize(2);
    assertThat(plane.accepted).hasSize(1);
    assertThat(one.conflicts() + two.conflicts()).isEqualTo(1);

    // the loser tries again from a fresh context: nothing wanted now, and after a slot frees it
    // creates trial 2
    TrialFactory loser = a.get() == Outcome.CONFLICT ? one : two;
    assertThat(loser.fill("st-b")).isEqualTo(Outcome.NOTHING_WANTED);
    plane.finish("st-b", 1);
    loser.fill("st-b");
    assertThat(plane.accepted).extracting(NewTrials::firstNumber).containsExactly(0, 2);
  }

  @Test
  void aSamplerThatRejectsTheRequestFailsTheStudyWithItsReason() {
    plane.put("st-c", spec(SPEC));
    plane.poison("st-c");
    TrialFactory factory = factory(sampler(), 1);
    assertThat(factory.fill("st-c")).isEqualTo(Outcome.STUDY_FAILED);
    assertThat(plane.status("st-c").state()).isEqualTo("failed");
    assertThat(plane.status("st-c").reason())
        .startsWith("the sampler rejected the study: ")
        .contains("observations[0]");
    assertThat(plane.trials("st-c")).isEmpty();
    assertThat(factory.fill("st-c")).isEqualTo(Outcome.NOTHING_WANTED);
  }

  @Test
  void anUnavailableSamplerOrStoreIsRetriedAtTheNextWakeUp() {
    plane.put("st-d", spec(SPEC));
    AtomicBoolean samplerUp = new AtomicBoolean(false);
    SuggestionSource real = sampler();
    SuggestionSource flaky =
        r -> {
          if (!samplerUp.get()) {
            throw new SamplerUnavailableException("sampler down for the test", null);
          }
          return real.suggest(r);
        };
    TrialFactory factory = factory(flaky, 1);
    assertThat(factory.fill("st-d")).isEqualTo(Outcome.RETRY_LATER);
    assertThat(plane.trials("st-d")).isEmpty();

    samplerUp.set(true);
    plane.down(true);
    assertThat(factory.fill("st-d")).isEqualTo(Outcome.RETRY_LATER);
    factory.tick(); // the store's 503 is logged, not thrown

    plane.down(false);
    factory.tick();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(plane.trials("st-d")).hasSize(2));

    // a store that cannot be reached at all: nothing thrown either
    TrialFactory nowhere =
        new TrialFactory(
            new ControlClient("http://127.0.0.1:1", Duration.ofSeconds(2), Optional.empty()),
            real,
            Runnable::run);
    nowhere.tick();
    assertThat(nowhere.fill("st-d")).isEqualTo(Outcome.RETRY_LATER);
  }

  @Test
  void wakeUpsRunAtMostOneFillPerStudyAtATimeAndNoneIsLost() {
    plane.put("st-e", spec(SPEC.replace("trials: 5", "trials: 12")));
    SuggestionSource real = sampler();
    Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
    AtomicInteger maxConcurrent = new AtomicInteger();
    SuggestionSource slow =
        r -> {
          AtomicInteger c = concurrent.computeIfAbsent("st-e", k -> new AtomicInteger());
          maxConcurrent.accumulateAndGet(c.incrementAndGet(), Math::max);
          try {
            Thread.sleep(30);
            return real.suggest(r);
          } catch (InterruptedException e) {
            throw new SamplerUnavailableException("interrupted", e);
          } finally {
            c.decrementAndGet();
          }
        };
    TrialFactory factory = factory(slow, 4);
    // slots free while fills run; only wake-ups (no tick) drive the study to its budget
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (plane.trials("st-e").size() < 12 && System.nanoTime() < deadline) {
      plane.finish("st-e", 1);
      for (int i = 0; i < 10; i++) {
        factory.wake("st-e");
      }
      sleep(10);
    }
    assertThat(plane.trials("st-e")).hasSize(12);
    assertThat(maxConcurrent.get()).isEqualTo(1);
    assertThat(plane.conflicts.get()).isZero();
  }

  @Test
  void twoFactoriesNeverCreateTheSameTrialNumberTwice() {
    List<String> ids = List.of("st-f1", "st-f2", "st-f3");
    String yaml =
        SPEC.replace("trials: 5", "trials: 15").replace("parallelism: 2", "parallelism: 3");
    ids.forEach(id -> plane.put(id, spec(yaml)));
    TrialFactory one = factory(sampler(), 2);
    TrialFactory two = factory(sampler(), 2);
    Random random = new Random(11);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline
        && ids.stream().anyMatch(id -> plane.trials(id).size() < 15)) {
      one.tick();
      two.tick();
      ids.forEach(one::wake);
      ids.forEach(two::wake);
      plane.finish(ids.get(random.nextInt(ids.size())), 1);
      sleep(15);
    }
    for (String id : ids) {
      assertThat(plane.trials(id)).as(id).hasSize(15);
    }
    // every accepted request was counted by exactly one factory, and the store holds 3 × 15
    int total = 0;
    for (NewTrials t : plane.accepted) {
      total += t.params().size();
    }
    assertThat(total).isEqualTo(45);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(one.trialsCreated() + two.trialsCreated()).isEqualTo(45));
    System.out.printf(
        "two factories: %d and %d trials created, %d answers dropped on 409%n",
        one.trialsCreated(), two.trialsCreated(), one.conflicts() + two.conflicts());
  }

  @Test
  void aNewFactoryGoesOnWhereThePreviousOneStopped() {
    plane.put("st-g", spec(SPEC));
    TrialFactory before = factory(sampler(), 1);
    before.fill("st-g");
    assertThat(plane.trials("st-g")).hasSize(2);
    executors.get(0).shutdownNow(); // the scheduler is gone; the store kept everything

    plane.finish("st-g", 2);
    TrialFactory after = factory(sampler(), 1);
    after.tick();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(plane.trials("st-g")).hasSize(4));
    assertThat(plane.accepted).extracting(NewTrials::firstNumber).containsExactly(0, 2);
    assertThat(plane.conflicts.get()).isZero();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
