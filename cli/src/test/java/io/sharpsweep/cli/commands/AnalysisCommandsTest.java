package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sharpsweep.cli.SharpSweep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code importance} and {@code variants} against a stand-in results-store that answers what the
 * real one does: the URL asked, the table printed, {@code --json} passed through.
 */
class AnalysisCommandsTest {
  static final String IMPORTANCE =
      """
      {"studyId":"s1","objective":{"name":"val_accuracy","goal":"maximize"},"method":"fanova",
       "trees":64,"seed":1,"trials":10,"importances":[
        {"param":"variant","importance":0.75,"std":0.01,"trials":10},
        {"param":"lr","importance":0.25,"std":0.02,"trials":10},
        {"param":"rho","importance":1.0,"std":0.0,"trials":6,"condition":{"variant":["sam","looksam"]}},
        {"param":"beta","trials":2,"condition":{"variant":["esam"]},"note":"needs at least 5 trials that set it, got 2"}]}
      """;
  static final String VARIANTS =
      """
      {"studyId":"s1","metric":"val_accuracy","cost":"sgd_epoch_equivalents","trials":7,
       "sgdBest":{"trialId":"s1-t0001","number":1,"accuracy":0.84,"cost":10.0},
       "variants":[
        {"variant":"sgd","accuracy":{"trials":3,"mean":0.82,"std":0.02,"min":0.8,"q1":0.81,"median":0.82,"q3":0.83,"max":0.84},
         "medianCost":6.0,"best":{"trialId":"s1-t0001","number":1,"accuracy":0.84,"cost":10.0}},
        {"variant":"sam","accuracy":{"trials":3,"mean":0.82,"std":0.1058,"min":0.7,"q1":0.78,"median":0.86,"q3":0.88,"max":0.9},
         "medianCost":8.0,"best":{"trialId":"s1-t0003","number":3,"accuracy":0.9,"cost":16.0},
         "sgdAtEqualCost":{"trialId":"s1-t0001","number":1,"accuracy":0.84,"cost":10.0},
         "gainAtEqualCost":0.06,"gainOverBestSgd":0.06,"extraCost":6.0,"gainPerExtraCost":0.01},
        {"variant":"looksam","accuracy":{"trials":1,"mean":0.83,"std":0.0,"min":0.83,"q1":0.83,"median":0.83,"q3":0.83,"max":0.83},
         "medianCost":5.0,"best":{"trialId":"s1-t0006","number":6,"accuracy":0.83,"cost":5.0},
         "sgdAtEqualCost":{"trialId":"s1-t0000","number":0,"accuracy":0.8,"cost":4.0},
         "gainAtEqualCost":0.03,"gainOverBestSgd":-0.01,"extraCost":-5.0,
         "note":"costs no more than SGD's best: no gain per extra cost"}]}
      """;

  private HttpServer server;
  private final List<String> asked = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String uri = exchange.getRequestURI().toString();
          asked.add(uri);
          byte[] body =
              (uri.contains("/importance") ? IMPORTANCE : VARIANTS)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
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

  private static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      assertThat(SharpSweep.run(args)).isZero();
      return o.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void importancePrintsOneRowPerParameterWithItsScope() {
    String out = run("importance", "s1", "--objective", "val_loss", "--store-url", url());
    assertThat(asked).containsExactly("/v1/studies/s1/importance?objective=val_loss");
    assertThat(out)
        .contains(
            "Parameter importance in study s1 for val_accuracy (fanova, 64 trees, seed 1): 10 completed trials");
    assertThat(out).containsPattern("variant +0\\.7500 +0\\.0100 +10  #{15} +all trials");
    assertThat(out)
        .containsPattern(
            "rho +1\\.0000 +0\\.0000 +6  #{20}  the trials that set it \\(variant in \\[sam, looksam\\]\\)");
    assertThat(out).contains("needs at least 5 trials that set it, got 2");
  }

  @Test
  void variantsPrintsTheComparisonWithSgd() {
    String out = run("variants", "s1", "--store-url", url());
    assertThat(asked).containsExactly("/v1/studies/s1/variants");
    assertThat(out)
        .contains("Variants of study s1: val_accuracy and cost (sgd_epoch_equivalents) of 7");
    assertThat(out)
        .containsPattern(
            "sam +3 +0\\.8600 +\\[0\\.7800, 0\\.8800\\] +0\\.8200 ± 0\\.1058 +0\\.9000 +16\\.00 +0\\.8400 +\\+0\\.0600 +\\+0\\.0600 +\\+6\\.00 +\\+0\\.01000");
    assertThat(out).containsPattern("sgd +3 +0\\.8200 .* +- +- +- +- +-");
    assertThat(out).contains("SGD's best: 0.8400 at cost 10.00 (s1-t0001)");
    assertThat(out).contains("looksam: costs no more than SGD's best: no gain per extra cost");
  }

  @Test
  void jsonPassesTheAnswerThrough() {
    String out = run("variants", "s1", "--json", "--store-url", url());
    assertThat(out).contains("\"gainPerExtraCost\" : 0.01");
  }
}
