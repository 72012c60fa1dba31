package io.sharpsweep.scheduler;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sharpsweep.protocol.ErrorResponse;
import io.sharpsweep.protocol.Json;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.suggest.SuggestRequest;
import io.sharpsweep.sampler.SamplerService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The real sampler core ({@link SamplerService}) behind a real HTTP endpoint, so the scheduler's
 * tests talk to {@code POST /v1/suggest} over the wire without starting the sampler's Quarkus app
 * in the same JVM.
 */
public class SamplerEndpointResource implements QuarkusTestResourceLifecycleManager {
  /** The {@code Authorization} header of every suggest call (empty string when absent). */
  public static final java.util.List<String> AUTHORIZATIONS =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    SamplerService service = new SamplerService();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/v1/suggest",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          AUTHORIZATIONS.add(auth == null ? "" : auth);
          int status;
          byte[] body;
          try {
            SuggestRequest request =
                Json.decode(exchange.getRequestBody().readAllBytes(), SuggestRequest.class);
            body = Json.encode(service.suggest(request));
            status = 200;
          } catch (ValidationException e) {
            body = Json.encode(new ErrorResponse(e.errors()));
            status = 400;
          } catch (MalformedRecordException e) {
            body = Json.encode(ErrorResponse.of(e.field(), e.getMessage()));
            status = 400;
          }
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return Map.of(
        "sharpsweep.scheduler.sampler-url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
