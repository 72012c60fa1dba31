package io.sharpsweep.scheduler.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.CreateStudy;
import io.sharpsweep.protocol.control.EndStudy;
import io.sharpsweep.protocol.control.EnqueueConfigs;
import io.sharpsweep.protocol.control.EnqueuedConfigs;
import io.sharpsweep.protocol.control.ExtendStudy;
import io.sharpsweep.protocol.control.NewTrials;
import io.sharpsweep.protocol.control.QueueDepth;
import io.sharpsweep.protocol.control.StudyStatus;
import io.sharpsweep.protocol.control.SuggestContext;
import io.sharpsweep.protocol.study.Budget;
import io.sharpsweep.protocol.study.StudySpec;
import io.sharpsweep.protocol.study.TrialIds;
import io.sharpsweep.protocol.suggest.Observation;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The results-store's control contract ({@link ControlPaths}, the scheduler's part) over real HTTP,
 * with the rules the scheduler relies on: create is idempotent by id; a study wants {@code
 * min(parallelism − unfinished trials, budget − created)} trials while it runs; new trials are
 * accepted only when {@code firstNumber} is the study's next number (409 otherwise); unknown ids
 * are 404. Tests finish trials with {@link #finish} and inspect what was created.
 */
public final class FakeControlPlane implements AutoCloseable {
  /** One study as the fake keeps it. */
  public static final class Study {
    final String id;
    StudySpec spec;
    final long createdAt;
    String state = "running";
    String reason;
    final List<Map<String, Object>> trials = new ArrayList<>();
    int finished;
    boolean poison;

    Study(String id, StudySpec spec, long createdAt) {
      this.id = id;
      this.spec = spec;
      this.createdAt = createdAt;
    }

    int wanted() {
      if (!state.equals("running")) {
        return 0;
      }
      int budget = spec.budget().trials();
      int unfinished = trials.size() - finished;
      return Math.max(
          0, Math.min(spec.budget().parallelism() - unfinished, budget - trials.size()));
    }

    StudyStatus status() {
      List<String> inFlight = new ArrayList<>();
      for (int n = finished; n < trials.size(); n++) {
        inFlight.add(TrialIds.trialId(id, n));
      }
      return new StudyStatus(
          id,
          spec.name(),
          state,
          reason,
          createdAt,
          spec.scheduler() == null ? "none" : spec.scheduler().typeOrDefault(),
          spec.budget(),
          trials.size(),
          0,
          trials.size() - finished,
          0,
          finished,
          0,
          inFlight);
    }
  }

  private final HttpServer server;
  private final Map<String, Study> studies = Collections.synchronizedMap(new LinkedHashMap<>());
  public final List<CreateStudy> creates = new CopyOnWriteArrayList<>();
  public final List<NewTrials> accepted = new CopyOnWriteArrayList<>();
  public final AtomicInteger conflicts = new AtomicInteger();
  public final List<EnqueueConfigs> enqueued = new CopyOnWriteArrayList<>();
  public final AtomicInteger suggestContextCalls = new AtomicInteger();

  /** The {@code Authorization} header of every call (empty string when absent). */
  public final List<String> authorizations = new CopyOnWriteArrayList<>();

  private volatile CyclicBarrier contextBarrier;
  private volatile boolean down;

  public FakeControlPlane() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/v1/control", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forgets every study and counter. */
  public void reset() {
    studies.clear();
    creates.clear();
    accepted.clear();
    conflicts.set(0);
    suggestContextCalls.set(0);
    contextBarrier = null;
    down = false;
  }

  /** While {@code true}, every call answers 503. */
  public void down(boolean down) {
    this.down = down;
  }

  /** The next suggest-context calls wait for each other in groups of {@code parties}. */
  public void holdSuggestContexts(int parties) {
    contextBarrier = parties <= 1 ? null : new CyclicBarrier(parties);
  }

  /** Adds a study directly (as another scheduler replica, or a previous run, did). */
  public void put(String id, StudySpec spec) {
    studies.put(id, new Study(id, spec, System.currentTimeMillis()));
  }

  /**
   * Makes the study's suggest context carry an observation outside its space, which the real
   * sampler refuses with a 400.
   */
  public void poison(String id) {
    synchronized (studies) {
      studies.get(id).poison = true;
    }
  }

  /** Marks the study's {@code count} oldest unfinished trials finished (a slot frees). */
  public void finish(String id, int count) {
    synchronized (studies) {
      Study s = studies.get(id);
      s.finished = Math.min(s.trials.size(), s.finished + count);
    }
  }

  public List<Map<String, Object>> trials(String id) {
    synchronized (studies) {
      Study s = studies.get(id);
      return s == null ? List.of() : List.copyOf(s.trials);
    }
  }

  public StudyStatus status(String id) {
    synchronized (studies) {
      Study s = studies.get(id);
      return s == null ? null : s.status();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    try {
      if (down) {
        reply(ex, 503, ErrorResponse.of("", "store down for the test"));
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (path.equals(ControlPaths.WANTING) && method.equals("GET")) {
        List<String> ids = new ArrayList<>();
        synchronized (studies) {
          studies.values().stream().filter(s -> s.wanted() > 0).forEach(s -> ids.add(s.id));
        }
        reply(ex, 200, ids);
      } else if (path.equals(ControlPaths.QUEUE) && method.equals("GET")) {
        reply(ex, 200, new QueueDepth(0, 0, 0));
      } else if (path.equals(ControlPaths.STUDIES) && method.equals("GET")) {
        synchronized (studies) {
          reply(ex, 200, studies.values().stream().map(Study::status).toList());
        }
      } else if (path.equals(ControlPaths.STUDIES) && method.equals("POST")) {
        CreateStudy c = Json.decode(body, CreateStudy.class);
        creates.add(c);
        synchronized (studies) {
          Study existing = studies.get(c.id());
          if (existing != null) {
            if (!existing.spec.equals(c.spec())) {
              reply(ex, 409, ErrorResponse.of("id", "exists with another spec"));
            } else {
              reply(ex, 200, existing.status());
            }
            return;
          }
          Study s = new Study(c.id(), c.spec(), c.createdAt());
          studies.put(c.id(), s);
          reply(ex, 201, s.status());
        }
      } else if (path.startsWith(ControlPaths.STUDIES + "/")) {
        String[] parts = path.substring(ControlPaths.STUDIES.length() + 1).split("/");
        String id = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        String action = parts.length > 1 ? parts[1] : "";
        study(ex, method, id, action, body);
      } else {
        reply(ex, 404, ErrorResponse.of("", "no such endpoint " + method + " " + path));
      }
    } catch (MalformedRecordException e) {
      reply(ex, 400, ErrorResponse.of(e.field(), e.getMessage()));
    } catch (RuntimeException e) {
      reply(ex, 500, ErrorResponse.of("", String.valueOf(e)));
    } finally {
      ex.close();
    }
  }

  private void study(HttpExchange ex, String method, String id, String action, byte[] body)
      throws IOException {
    if (action.equals("suggest-context") && method.equals("GET")) {
      suggestContextCalls.incrementAndGet();
      SuggestContext context;
      synchronized (studies) {
        Study s = studies.get(id);
        if (s == null) {
          reply(ex, 404, ErrorResponse.of("id", "unknown study '" + id + "'"));
          return;
        }
        int wanted = s.wanted();
        if (wanted == 0) {
          ex.sendResponseHeaders(204, -1);
          return;
        }
        List<Observation> observations =
            s.poison ? List.of(new Observation(Map.of("nope", 1), List.of(0.5))) : List.of();
        context =
            new SuggestContext(
                id,
                s.trials.size(),
                new SuggestRequest(
                    s.spec.searchSpace(),
                    s.spec.objectives(),
                    s.spec.sampler(),
                    observations,
                    List.of(),
                    wanted));
      }
      CyclicBarrier barrier = contextBarrier;
      if (barrier != null) {
        try {
          barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          throw new IllegalStateException("suggest-context barrier: " + e, e);
        }
      }
      reply(ex, 200, context);
      return;
    }
    synchronized (studies) {
      Study s = studies.get(id);
      if (s == null) {
        reply(ex, 404, ErrorResponse.of("id", "unknown study '" + id + "'"));
        return;
      }
      switch (method + " " + action) {
        case "GET " -> reply(ex, 200, s.status());
        case "POST cancel", "POST fail" -> {
          EndStudy end = Json.decode(body, EndStudy.class);
          // A paused study is still running for the store: it can be cancelled.
          if (s.state.equals("running") || s.state.equals("paused")) {
            s.state = action.equals("cancel") ? "cancelled" : "failed";
            s.reason = end.reason();
          }
          reply(ex, 200, s.status());
        }
        case "POST pause", "POST resume" -> {
          boolean pause = action.equals("pause");
          if (s.state.equals("running") || s.state.equals("paused")) {
            s.state = pause ? "paused" : "running";
            reply(ex, 200, s.status());
          } else {
            reply(
                ex,
                409,
                ErrorResponse.of("id", "cannot " + action + " a study that is " + s.state));
          }
        }
        case "POST enqueue" -> {
          EnqueueConfigs e = Json.decode(body, EnqueueConfigs.class);
          enqueued.add(e);
          if (e.configs() != null && e.configs().stream().anyMatch(c -> c.containsKey("bad"))) {
            reply(ex, 400, ErrorResponse.of("configs[0].bad", "is not a parameter of the space"));
          } else {
            List<Map<String, Object>> configs = e.configs() == null ? List.of() : e.configs();
            reply(ex, 200, new EnqueuedConfigs(configs, configs.size(), s.status()));
          }
        }
        case "POST extend" -> {
          ExtendStudy e = Json.decode(body, ExtendStudy.class);
          if (e.maxEpochs() != null) {
            reply(ex, 400, ErrorResponse.of("maxEpochs", "cannot be raised"));
          } else if (!s.state.equals("running") && !s.state.equals("completed")) {
            reply(ex, 409, ErrorResponse.of("id", "cannot extend a study that is " + s.state));
          } else {
            Budget b = s.spec.budget();
            s.spec =
                s.spec.withBudget(
                    new Budget(b.trials() + e.trials(), b.parallelism(), b.maxAttempts()));
            s.state = "running";
            reply(ex, 200, s.status());
          }
        }
        case "POST trials" -> {
          NewTrials t = Json.decode(body, NewTrials.class);
          if (!s.state.equals("running")
              || t.firstNumber() != s.trials.size()
              || t.params() == null
              || t.params().isEmpty()
              || s.trials.size() + t.params().size() > s.spec.budget().trials()) {
            conflicts.incrementAndGet();
            reply(
                ex,
                409,
                ErrorResponse.of(
                    "firstNumber",
                    "the next trial number is " + s.trials.size() + ", got " + t.firstNumber()));
            return;
          }
          s.trials.addAll(t.params());
          accepted.add(t);
          reply(ex, 201, s.status());
        }
        default ->
            reply(ex, 404, ErrorResponse.of("", "no such endpoint " + method + " " + action));
      }
    }
  }

  private static void reply(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = Json.encode(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
