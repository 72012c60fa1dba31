package io.sharpsweep.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.control.StudyStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client side of the REST contract against the JDK's HTTP server: answers decode into the
 * records, pages follow {@code Link: rel="next"}, and every failure is one {@link ApiException}
 * with the status and the service's errors.
 */
class JsonHttpTest {
  private HttpServer server;
  private final Map<String, String[]> answers = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String uri = ex.getRequestURI().toString();
          asked.add(
              ex.getRequestMethod()
                  + " "
                  + uri
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization"));
          String[] a =
              answers.getOrDefault(
                  uri,
                  new String[] {
                    "404", "{\"errors\":[{\"field\":\"id\",\"message\":\"unknown study 'x'\"}]}"
                  });
          if (a.length > 2) {
            ex.getResponseHeaders().add("Link", a[2]);
            ex.getResponseHeaders().add("X-Total-Count", "3");
          }
          byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(Integer.parseInt(a[0]), body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void answersDecodeIntoTheRecordsWithTheToken() {
    answers.put(
        "/v1/studies/s1/best?maxCost=4.0&objective=val_loss",
        new String[] {
          "200", "{\"studyId\":\"s1\",\"best\":null,\"reason\":\"none yet\",\"extra\":1}"
        });
    BestAnswer best = StoreClient.of(url(), "t0k").best("s1", "val_loss", 4.0);
    assertThat(best).isEqualTo(new BestAnswer("s1", null, null, null, "none yet"));
    assertThat(asked)
        .containsExactly("GET /v1/studies/s1/best?maxCost=4.0&objective=val_loss Bearer t0k");
  }

  @Test
  void aStudyStatusWithFieldsLeftOutReadsAsZeros() {
    answers.put(
        "/v1/studies/st-1/pause",
        new String[] {"200", "{\"id\":\"st-1\",\"state\":\"paused\",\"running\":1}"});
    StudyStatus s = SchedulerClient.of(url(), null).pause("st-1");
    assertThat(s.state()).isEqualTo("paused");
    assertThat(s.running()).isEqualTo(1);
    assertThat(s.completed()).isZero();
    assertThat(asked).containsExactly("POST /v1/studies/st-1/pause null");
  }

  @Test
  void pagesFollowTheNextLink() {
    answers.put(
        "/v1/studies/s1/trials?limit=1000&epochs=none",
        new String[] {
          "200",
          "[{\"trialId\":\"s1-t1\",\"attempt\":1}]",
          "<" + url() + "/v1/studies/s1/trials?limit=1000&epochs=none&after=s1-t1>; rel=\"next\""
        });
    answers.put(
        "/v1/studies/s1/trials?limit=1000&after=s1-t1&epochs=none",
        new String[] {
          "200", "[{\"trialId\":\"s1-t2\",\"attempt\":1},{\"trialId\":\"s1-t3\",\"attempt\":2}]"
        });
    List<TrialView> all = StoreClient.of(url(), null).allTrials("s1", TrialEpochs.NONE);
    assertThat(all).extracting(TrialView::trialId).containsExactly("s1-t1", "s1-t2", "s1-t3");
    TrialPage first = StoreClient.of(url(), null).trials("s1", 1000, null, null, TrialEpochs.NONE);
    assertThat(first.total()).isEqualTo(3);
    assertThat(first.nextAfter()).isEqualTo("s1-t1");
  }

  @Test
  void aRefusalCarriesTheStatusAndTheErrors() {
    ApiException e =
        catchThrowableOfType(ApiException.class, () -> StoreClient.of(url(), null).study("x"));
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.errors().errors()).containsExactly(new FieldError("id", "unknown study 'x'"));
    assertThat(e.getMessage())
        .isEqualTo(
            "the results-store at "
                + url()
                + " answered 404 to GET /v1/studies/x: id: unknown study 'x'")
        .doesNotContain("\n");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void anUnreadableAnswerAndNoAnswerAreRetryable() throws IOException {
    answers.put("/v1/studies/s1/rungs", new String[] {"200", "{\"rungs\": 3}"});
    ApiException bad =
        catchThrowableOfType(ApiException.class, () -> StoreClient.of(url(), null).rungs("s1"));
    assertThat(bad.getMessage())
        .contains("answered 200 to GET /v1/studies/s1/rungs with an unreadable body");
    assertThat(bad.getMessage()).doesNotContain("\n");
    assertThat(bad.retryable()).isTrue();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ApiException none =
        catchThrowableOfType(
            ApiException.class, () -> StoreClient.of("http://127.0.0.1:" + closed, null).studies());
    assertThat(none.status()).isZero();
    assertThat(none.getCause()).isInstanceOf(IOException.class);
    assertThat(none.getMessage())
        .startsWith("cannot reach the results-store at http://127.0.0.1:" + closed);
    assertThat(none.retryable()).isTrue();
  }
}
