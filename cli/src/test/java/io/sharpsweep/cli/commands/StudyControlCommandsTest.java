package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sharpsweep.cli.SharpSweep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study pause|resume|extend|enqueue} as a user runs them, against an HTTP server standing in
 * for the scheduler: each sends its request to the scheduler's endpoint and prints the answer; a
 * refusal is one line and a non-zero exit.
 */
class StudyControlCommandsTest {
  @TempDir Path dir;

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = ex.getRequestURI().getPath();
          requests.add(ex.getRequestMethod() + " " + path + " " + body);
          int status = 200;
          String answer =
              "{\"id\": \"st-1\", \"state\": \"paused\", \"running\": 1, \"waiting\": 2,"
                  + " \"created\": 3, \"budget\": {\"trials\": 9}}";
          if (path.endsWith("/extend") && body.contains("maxEpochs")) {
            status = 400;
            answer =
                "{\"errors\": [{\"field\": \"maxEpochs\", \"message\": \"cannot be raised\"}]}";
          } else if (path.endsWith("/enqueue")) {
            answer =
                "{\"enqueued\": [{\"variant\": \"sam\", \"rho\": 0.05}], \"waiting\": 1,"
                    + " \"study\": {\"created\": 3, \"budget\": {\"trials\": 9}}}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, bytes.length);
          ex.getResponseBody().write(bytes);
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

  private Run run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--scheduler-url";
    all[args.length + 1] = url();
    all[args.length + 2] = "--store-url";
    all[args.length + 3] = url();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = SharpSweep.run(all);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void pauseResumeAndExtendPostToTheSchedulerAndPrintTheState() {
    Run pause = run("study", "pause", "st-1");
    assertThat(pause.exit()).isZero();
    assertThat(pause.out()).contains("study st-1 paused (1 segments finishing, 2 waiting");
    assertThat(run("study", "resume", "st-1").exit()).isZero();
    Run extend = run("study", "extend", "st-1", "--trials", "5");
    assertThat(extend.exit()).isZero();
    assertThat(extend.out()).contains("budget 9 trials, 3 created");
    assertThat(requests)
        .containsExactly(
            "POST /v1/studies/st-1/pause ",
            "POST /v1/studies/st-1/resume ",
            "POST /v1/studies/st-1/extend {\"trials\":5}");
    Run refused = run("study", "extend", "st-1", "--max-epochs", "27");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("maxEpochs").contains("cannot be raised");
  }

  @Test
  void enqueueSendsTheFileOrThePreset() throws IOException {
    Path configs = dir.resolve("configs.yaml");
    Files.writeString(configs, "- {variant: sam, lr: 0.05, rho: 0.05}\n");
    Run file = run("study", "enqueue", "st-1", "-f", configs.toString());
    assertThat(file.exit()).isZero();
    assertThat(file.out()).contains("1 configuration(s) enqueued, 1 waiting for a slot");
    Run preset = run("study", "enqueue", "st-1", "--preset", "papers");
    assertThat(preset.exit()).isZero();
    assertThat(requests)
        .containsExactly(
            "POST /v1/studies/st-1/enqueue - {variant: sam, lr: 0.05, rho: 0.05}\n",
            "POST /v1/studies/st-1/enqueue {\"preset\":\"papers\"}");
    assertThat(run("study", "enqueue", "st-1").exit()).isNotZero();
  }
}
