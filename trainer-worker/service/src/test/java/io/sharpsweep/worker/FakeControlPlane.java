package io.sharpsweep.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.control.LeaseRenewal;
import io.sharpsweep.protocol.control.LeaseRequest;
import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The results-store's lease endpoints as a test double, on the JDK's HTTP server (127.0.0.1, a free
 * port), speaking the same JSON contract: leases are handed out from a queue the test fills (long
 * poll), heartbeats answer what the test's policy says (200 by default), and every call is recorded
 * with its arrival time.
 */
public final class FakeControlPlane {
  /** One recorded call on a lease: its kind (heartbeat, complete, release, fail). */
  public record Call(String leaseId, String kind, long atNanos, byte[] body, int status) {
    Heartbeat heartbeat() {
      return Json.decode(body, Heartbeat.class);
    }

    LeaseEnd end() {
      return Json.decode(body, LeaseEnd.class);
    }
  }

  /** A lease request and when it arrived. */
  public record Asked(LeaseRequest request, long atNanos) {}

  private static FakeControlPlane shared;

  private final HttpServer server;
  private final BlockingQueue<Lease> queue = new LinkedBlockingQueue<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<LeaseRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Asked> asked = new CopyOnWriteArrayList<>();
  private final Map<String, Long> grantedMillis = new ConcurrentHashMap<>();
  private final Map<String, Long> grantedNanos = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private final Map<String, Function<Heartbeat, Integer>> heartbeatPolicy =
      new ConcurrentHashMap<>();

  private FakeControlPlane() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-control-plane");
              t.setDaemon(true);
              return t;
            }));
    server.createContext(ControlPaths.LEASES, this::handle);
    server.start();
  }

  public static synchronized FakeControlPlane shared() {
    if (shared == null) {
      try {
        shared = new FakeControlPlane();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues a lease for the next worker that asks. */
  public Lease offer(String leaseId, SegmentAssignment a, long ttlMillis, long heartbeatMillis) {
    Lease lease =
        new Lease(
            leaseId, null, System.currentTimeMillis() + ttlMillis, ttlMillis, heartbeatMillis, a);
    queue.add(lease);
    return lease;
  }

  /** What a heartbeat on {@code leaseId} answers: 200 (renewed), 409 (lost), 503, … */
  public void heartbeatPolicy(String leaseId, Function<Heartbeat, Integer> policy) {
    heartbeatPolicy.put(leaseId, policy);
  }

  public boolean queued(String leaseId) {
    return queue.stream().anyMatch(l -> l.leaseId().equals(leaseId));
  }

  public Long grantedAtMillis(String leaseId) {
    return grantedMillis.get(leaseId);
  }

  public Long grantedAtNanos(String leaseId) {
    return grantedNanos.get(leaseId);
  }

  public List<Call> calls(String leaseId, String kind) {
    return calls.stream()
        .filter(c -> c.leaseId().equals(leaseId) && c.kind().equals(kind))
        .toList();
  }

  /** Calls that end a lease (complete, release, fail). */
  public List<Call> ends(String leaseId) {
    return calls.stream()
        .filter(c -> c.leaseId().equals(leaseId) && !c.kind().equals("heartbeat"))
        .toList();
  }

  public List<LeaseRequest> requests() {
    return requests;
  }

  /** Every lease request with its arrival time. */
  public List<Asked> asked() {
    return asked;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals(ControlPaths.LEASES)) {
        LeaseRequest request = Json.decode(body, LeaseRequest.class);
        requests.add(request);
        asked.add(new Asked(request, System.nanoTime()));
        int wait = request.waitSeconds() == null ? 0 : Math.min(30, request.waitSeconds());
        Lease lease;
        try {
          lease = queue.poll(wait, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          lease = null;
        }
        if (lease == null) {
          ex.sendResponseHeaders(204, -1);
          return;
        }
        Lease granted =
            new Lease(
                lease.leaseId(),
                request.workerId(),
                System.currentTimeMillis() + lease.ttlMillis(),
                lease.ttlMillis(),
                lease.heartbeatMillis(),
                lease.assignment());
        grantedMillis.put(lease.leaseId(), System.currentTimeMillis());
        grantedNanos.put(lease.leaseId(), System.nanoTime());
        leases.put(lease.leaseId(), granted);
        respond(ex, 200, Json.encode(granted));
        return;
      }
      String[] parts = path.substring(ControlPaths.LEASES.length() + 1).split("/");
      if (parts.length != 2) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String leaseId = parts[0];
      String kind = parts[1];
      Lease lease = leases.get(leaseId);
      if (lease == null) {
        calls.add(new Call(leaseId, kind, System.nanoTime(), body, 404));
        ex.sendResponseHeaders(404, -1);
        return;
      }
      switch (kind) {
        case "heartbeat" -> {
          Heartbeat beat = Json.decode(body, Heartbeat.class);
          int status = heartbeatPolicy.getOrDefault(leaseId, b -> 200).apply(beat);
          calls.add(new Call(leaseId, kind, System.nanoTime(), body, status));
          if (status == 200) {
            respond(
                ex,
                200,
                Json.encode(
                    new LeaseRenewal(leaseId, System.currentTimeMillis() + lease.ttlMillis())));
          } else {
            byte[] error =
                ("{\"error\":\"lease " + leaseId + "\"}").getBytes(StandardCharsets.UTF_8);
            respond(ex, status, error);
          }
        }
        case "complete", "release", "fail" -> {
          Json.decode(body, LeaseEnd.class);
          calls.add(new Call(leaseId, kind, System.nanoTime(), body, 204));
          ex.sendResponseHeaders(204, -1);
        }
        default -> ex.sendResponseHeaders(404, -1);
      }
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] json) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, json.length);
    ex.getResponseBody().write(json);
  }

  /** Points the worker at the shared fake with short long polls. */
  public static class Resource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      return Map.of(
          "sharpsweep.worker.control-url", shared().url(),
          "sharpsweep.worker.lease-wait", "1s",
          "sharpsweep.worker.shutdown-grace", "20s");
    }

    @Override
    public void stop() {
      // Shared for the JVM's lifetime, like the broker.
    }
  }
}
