package io.sharpsweep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.sharpsweep.cli.SharpSweep;
import io.sharpsweep.protocol.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sharpsweep chart} against a fake results-store (the JDK's HTTP server answering the REST
 * paths the command reads with fixed JSON): every kind writes a PNG of the requested size that is
 * not blank, and bad input is one line and a non-zero exit.
 */
class ChartCommandTest {
  private static HttpServer store;
  private static String url;
  private static final Map<String, String> ANSWERS = new LinkedHashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void startStore() throws IOException {
    study(
        "clean", new double[][] {{0.80, 3.0}, {0.86, 6.0}, {0.84, 6.0}, {0.85, 4.2}, {0.79, 3.6}});
    study(
        "noisy", new double[][] {{0.70, 3.0}, {0.74, 6.0}, {0.76, 6.5}, {0.72, 4.2}, {0.71, 3.3}});
    store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body = ANSWERS.get(path);
          byte[] bytes =
              (body != null
                      ? body
                      : "{\"errors\":[{\"field\":\"id\",\"message\":\"unknown study\"}]}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    store.start();
    url = "http://127.0.0.1:" + store.getAddress().getPort();
  }

  @AfterAll
  static void stopStore() {
    store.stop(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pareto", "curves", "params", "parallel", "compare"})
  void drawsEveryKindAsAPngOfTheRequestedSize(String kind) throws IOException {
    Path png = dir.resolve(kind + ".png");
    Run r =
        run(
            "chart",
            "clean",
            "--kind",
            kind,
            "--with",
            "noisy",
            "--png",
            png.toString(),
            "--width",
            "900",
            "--height",
            "560",
            "--store-url",
            url);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote " + png.toAbsolutePath());
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(560);
    // not blank: many colours (series, anti-aliasing) and a fair share of non-white pixels
    Set<Integer> colours = new HashSet<>();
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb != 0xFFFFFF) {
          inked++;
        }
      }
    }
    assertThat(colours.size()).as("distinct colours of %s", kind).isGreaterThan(40);
    assertThat(inked).as("non-white pixels of %s", kind).isGreaterThan(900L * 560 / 50);
    // kept for a look: target/chart-KIND.png
    Files.copy(
        png, Path.of("target", "chart-" + kind + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void badInputIsOneLineAndANonZeroExit() {
    Path png = dir.resolve("x.png");
    Run unknown =
        run("chart", "nope", "--kind", "pareto", "--png", png.toString(), "--store-url", url);
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err().strip().lines()).hasSize(1);
    assertThat(unknown.err()).contains("unknown study");
    Run compare =
        run("chart", "clean", "--kind", "compare", "--png", png.toString(), "--store-url", url);
    assertThat(compare.exit()).isNotZero();
    assertThat(compare.err().strip())
        .isEqualTo("sharpsweep: --kind compare needs --with ID2[,ID3…]");
    Run size =
        run(
            "chart",
            "clean",
            "--kind",
            "curves",
            "--png",
            png.toString(),
            "--width",
            "10",
            "--store-url",
            url);
    assertThat(size.exit()).isNotZero();
    assertThat(size.err()).contains("--width must be 200 to 8000");
    assertThat(png).doesNotExist();
  }

  // ---- the fake store -------------------------------------------------------------------------

  /**
   * A study of 5 completed trials × 3 epochs with (accuracy, cost) {@code finals} at the last one,
   * plus a running trial (one epoch) and a failed one; val accuracy ↑ and cost ↓.
   */
  private static void study(String id, double[][] finals) {
    String[] variants = {"sgd", "sam", "asam", "sam", "sgd", "asam", "sam"};
    double[] lr = {0.01, 0.05, 0.1, 0.2, 0.02, 0.03, 0.08};
    double[] rho = {0.0, 0.05, 0.5, 0.1, 0.0, 0.2, 0.3};
    ObjectNode detail = Json.mapper().createObjectNode().put("id", id).put("name", "fmnist-" + id);
    ObjectNode spec = detail.putObject("spec").put("name", "fmnist-" + id);
    ArrayNode objectives = spec.putArray("objectives");
    objectives.addObject().put("name", "val_accuracy").put("goal", "maximize");
    objectives.addObject().put("name", "sgd_epoch_equivalents").put("goal", "minimize");
    ArrayNode space = spec.putArray("space");
    ObjectNode variant = space.addObject().put("name", "variant").put("type", "categorical");
    variant.putArray("choices").add("sgd").add("sam").add("asam");
    space
        .addObject()
        .put("name", "lr")
        .put("type", "float")
        .put("low", 0.01)
        .put("high", 0.2)
        .put("log", true);
    space
        .addObject()
        .put("name", "rho")
        .put("type", "float")
        .put("low", 0.0)
        .put("high", 0.5)
        .put("log", false);
    ANSWERS.put("/v1/studies/" + id, detail.toString());

    ArrayNode trials = Json.mapper().createArrayNode();
    for (int n = 0; n < 7; n++) {
      String tid = id + "-t" + n;
      String state = n < 5 ? "completed" : n == 5 ? "running" : "failed";
      ObjectNode t = trials.addObject().put("trialId", tid).put("number", n).put("state", state);
      t.putObject("params").put("variant", variants[n]).put("lr", lr[n]).put("rho", rho[n]);
      ArrayNode epochs = t.putArray("epochs");
      ObjectNode curve = Json.mapper().createObjectNode().put("studyId", id).put("trialId", tid);
      ArrayNode points = curve.putArray("points");
      int count = n < 5 ? 3 : 1;
      for (int e = 1; e <= count; e++) {
        double acc = n < 5 ? finals[n][0] - (3 - e) * 0.04 : n == 5 ? 0.66 : 0.41;
        double cost = n < 5 ? finals[n][1] * e / 3 : 1.5;
        ObjectNode report = epochs.addObject().put("attempt", 1).put("epoch", e);
        report
            .putObject("metrics")
            .put("valAccuracy", acc)
            .put("valLoss", 1.1 - acc)
            .put("trainLoss", 1 - acc);
        report.putObject("cost").put("sgdEpochEquivalents", cost).put("wallSeconds", 1.5 * e);
        points
            .addObject()
            .put("epoch", e)
            .put("attempt", 1)
            .put("valAccuracy", acc)
            .put("valLoss", 1.1 - acc)
            .put("sgdEpochEquivalents", cost);
      }
      ANSWERS.put("/v1/studies/" + id + "/trials/" + tid + "/curve", curve.toString());
    }
    // the fake answers every query of /trials with every epoch: the command keeps the last one
    ANSWERS.put("/v1/studies/" + id + "/trials", trials.toString());

    // the front over (val_accuracy, cost) by x, as the store sorts it
    List<Integer> front = id.equals("clean") ? List.of(0, 3, 1) : List.of(0, 4, 3, 1, 2);
    ObjectNode pareto = Json.mapper().createObjectNode().put("studyId", id);
    pareto.putObject("x").put("name", "val_accuracy").put("goal", "maximize");
    pareto.putObject("y").put("name", "sgd_epoch_equivalents").put("goal", "minimize");
    pareto.put("basis", "completed").put("candidates", 5).put("hypervolume", 0.1);
    ArrayNode fp = pareto.putArray("front");
    front.stream()
        .sorted((a, b) -> Double.compare(finals[a][0], finals[b][0]))
        .forEach(
            n ->
                fp.addObject()
                    .put("trialId", id + "-t" + n)
                    .put("number", n)
                    .put("x", finals[n][0])
                    .put("y", finals[n][1]));
    ANSWERS.put("/v1/studies/" + id + "/pareto", pareto.toString());

    int best = 0;
    for (int n = 1; n < 5; n++) {
      best = finals[n][0] > finals[best][0] ? n : best;
    }
    ObjectNode b = Json.mapper().createObjectNode().put("studyId", id);
    b.putObject("objective").put("name", "val_accuracy").put("goal", "maximize");
    b.putObject("best")
        .put("trialId", id + "-t" + best)
        .put("number", best)
        .put("value", finals[best][0]);
    ANSWERS.put("/v1/studies/" + id + "/best", b.toString());
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = SharpSweep.run(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
