package io.sharpsweep.worker.lease;

import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.control.ControlPaths;
import io.sharpsweep.protocol.control.Heartbeat;
import io.sharpsweep.protocol.control.Lease;
import io.sharpsweep.protocol.control.LeaseEnd;
import io.sharpsweep.protocol.control.LeaseRenewal;
import io.sharpsweep.protocol.control.LeaseRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The worker's side of the results-store's lease endpoints ({@link ControlPaths}): one blocking
 * call per method on {@link HttpClient}, bodies through {@link Json}. It remembers whether the
 * store answered the last call (for readiness) and logs an outage once when it starts and once when
 * it ends, however many calls fail in between.
 */
public final class ControlClient {
  private static final Logger LOG = Logger.getLogger(ControlClient.class);

  /** How a lease-scoped call was answered. */
  public enum Answer {
    /** 2xx: done (a renewal, or the end of the lease was recorded). */
    OK,
    /** 409 (or 404: the store knows no such lease): the lease is not ours any more. */
    LOST
  }

  /** A heartbeat's answer: the renewal, or null when the lease is lost. */
  public record Renewal(Answer answer, LeaseRenewal renewal) {}

  /** A {@code complete}'s answer, with the next lease when one was asked for and granted. */
  public record Completion(Answer answer, Optional<Lease> next) {}

  private final URI base;
  private final Optional<String> token;
  private final Duration callTimeout;
  private final HttpClient http;
  private static final String NOT_CONTACTED = "not contacted yet";
  private final AtomicReference<String> outage = new AtomicReference<>(NOT_CONTACTED);
  private volatile long outageSince = System.nanoTime();

  public ControlClient(String baseUrl, Optional<String> token, Duration callTimeout) {
    String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.base = URI.create(b);
    this.token = token.filter(t -> !t.isBlank());
    this.callTimeout = callTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public URI baseUrl() {
    return base;
  }

  /** Whether the store answered the last call (any HTTP status below 500). */
  public boolean reachable() {
    return outage.get() == null;
  }

  /** Why the store is not reachable, or null when it is. */
  public String outageReason() {
    return outage.get();
  }

  /**
   * Asks for a segment: the lease, or empty when the store had none within {@code waitSeconds}
   * (204).
   */
  public Optional<Lease> acquire(String workerId, int waitSeconds) throws ControlException {
    HttpResponse<byte[]> r =
        post(
            ControlPaths.LEASES,
            new LeaseRequest(workerId, waitSeconds),
            callTimeout.plusSeconds(waitSeconds));
    if (r.statusCode() == 204) {
      return Optional.empty();
    }
    if (r.statusCode() == 200) {
      return Optional.of(decode(r, Lease.class));
    }
    throw rejected("POST " + ControlPaths.LEASES, r);
  }

  /**
   * Asks for the worker's next segment while its current one still trains (docs/control-plane.md,
   * "Lease ahead"): the store does not hold the request, and grants a lease only when no idle
   * worker waits for it; empty (204) otherwise. A store that does not know the flag treats it as a
   * lease request that does not wait.
   */
  public Optional<Lease> acquireAhead(String workerId) throws ControlException {
    HttpResponse<byte[]> r = post(ControlPaths.LEASES, LeaseRequest.ahead(workerId), callTimeout);
    if (r.statusCode() == 204) {
      return Optional.empty();
    }
    if (r.statusCode() == 200) {
      return Optional.of(decode(r, Lease.class));
    }
    throw rejected("POST " + ControlPaths.LEASES + " (ahead)", r);
  }

  public Renewal heartbeat(String leaseId, Heartbeat beat, Duration timeout)
      throws ControlException {
    String path = leasePath(leaseId, "heartbeat");
    HttpResponse<byte[]> r = post(path, beat, timeout);
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return new Renewal(Answer.LOST, null);
    }
    if (r.statusCode() == 200) {
      return new Renewal(Answer.OK, decode(r, LeaseRenewal.class));
    }
    if (r.statusCode() / 100 == 2) {
      return new Renewal(Answer.OK, null);
    }
    throw rejected("POST " + path, r);
  }

  /**
   * {@code complete}, {@code release} or {@code fail}: {@link Answer#OK} once recorded, {@link
   * Answer#LOST} when the lease is no longer ours.
   */
  public Answer end(String leaseId, String kind, LeaseEnd body) throws ControlException {
    return end(leaseId, kind, body, callTimeout);
  }

  /** {@link #end(String, String, LeaseEnd)} with its own timeout. */
  public Answer end(String leaseId, String kind, LeaseEnd body, Duration timeout)
      throws ControlException {
    String path = leasePath(leaseId, kind);
    HttpResponse<byte[]> r = post(path, body, timeout);
    if (r.statusCode() / 100 == 2) {
      return Answer.OK;
    }
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return Answer.LOST;
    }
    throw rejected("POST " + path, r);
  }

  /**
   * {@code complete}, and in the same request a lease on the next segment for {@code workerId},
   * waiting up to {@code nextWaitSeconds} for one ({@link ControlPaths#NEXT_WAIT_SECONDS}): the
   * store queues this worker for its next segment as soon as the end is recorded, without a round
   * trip of the worker's in between. A store that does not know the parameter completes the lease
   * and answers 204 (no next lease); so does one that had none within the wait.
   */
  public Completion complete(String leaseId, LeaseEnd body, int nextWaitSeconds)
      throws ControlException {
    String path =
        leasePath(leaseId, "complete")
            + "?"
            + ControlPaths.NEXT_WAIT_SECONDS
            + "="
            + Math.max(0, nextWaitSeconds);
    HttpResponse<byte[]> r =
        post(path, body, callTimeout.plusSeconds(Math.max(0, nextWaitSeconds)));
    if (r.statusCode() == 200 && r.body() != null && r.body().length > 0) {
      return new Completion(Answer.OK, Optional.of(decode(r, Lease.class)));
    }
    if (r.statusCode() / 100 == 2) {
      return new Completion(Answer.OK, Optional.empty());
    }
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return new Completion(Answer.LOST, Optional.empty());
    }
    throw rejected("POST " + path, r);
  }

  private static String leasePath(String leaseId, String kind) {
    return ControlPaths.LEASES
        + "/"
        + URLEncoder.encode(leaseId, StandardCharsets.UTF_8).replace("+", "%20")
        + "/"
        + kind;
  }

  private HttpResponse<byte[]> post(String path, Object body, Duration timeout)
      throws ControlException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.encode(body)));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      String why =
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      down("POST " + base + path + " failed: " + why);
      throw new ControlException("store at " + base + " unreachable: " + why, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlException("interrupted while calling the store at " + base, 0, e);
    }
    if (r.statusCode() >= 500) {
      down("POST " + base + path + " answered " + r.statusCode() + " " + snippet(r));
      throw rejected("POST " + path, r);
    }
    up();
    return r;
  }

  private void down(String why) {
    String was = outage.getAndSet(why);
    if (was == null || was == NOT_CONTACTED) {
      outageSince = System.nanoTime();
      LOG.warnf("control plane unavailable (%s); retrying until it answers", why);
    }
  }

  private void up() {
    String was = outage.getAndSet(null);
    if (was == NOT_CONTACTED) {
      LOG.infof("control plane at %s answers", base);
    } else if (was != null) {
      LOG.infof(
          "control plane at %s answers (after %.1f s)",
          base, (System.nanoTime() - outageSince) / 1e9);
    }
  }

  private <T> T decode(HttpResponse<byte[]> r, Class<T> type) throws ControlException {
    try {
      return Json.decode(r.body(), type);
    } catch (RuntimeException e) {
      throw new ControlException(
          "store at "
              + base
              + " answered an invalid "
              + type.getSimpleName()
              + ": "
              + e.getMessage(),
          r.statusCode() == 200 ? 502 : r.statusCode(),
          e);
    }
  }

  private ControlException rejected(String call, HttpResponse<byte[]> r) {
    return new ControlException(
        call + " at " + base + " answered " + r.statusCode() + " " + snippet(r),
        r.statusCode(),
        null);
  }

  private static String snippet(HttpResponse<byte[]> r) {
    String s = r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8).strip();
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
