package io.sharpsweep.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The generated-input harness of the bad-input tests of every service: draws values from {@link
 * Gen} generators with one fixed seed (so CI sends the same requests every run), mutates valid JSON
 * bodies, sends each request to the running Quarkus app over HTTP and checks the answer. Every
 * answer must be below 500; every 4xx must carry {@code {"errors": [{"field", "message"}]}} with a
 * non-blank field and message; a request the generator knows to be broken must get a 4xx, a valid
 * one a 2xx. The figure (requests per endpoint by status) is printed and written to {@code
 * target/}.
 *
 * <p>The {@code @QuarkusTest} method of each service drives it: the application is started once and
 * every generated request goes to it. Shared with the services through this module's test jar.
 */
public final class BadInput {
  /** What the generator knows about a request. */
  public enum Expect {
    /** a valid request: 2xx */
    VALID,
    /** broken for sure: 4xx */
    INVALID,
    /** a mutation that may or may not break a rule: anything below 500 */
    ANY
  }

  public record Answer(int status, String contentType, String body) {}

  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String RAW = "\u0001raw:";

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();
  private final String base;
  private final Random random;
  private final int maxPathParam;
  private final Map<String, Map<Integer, Integer>> figure = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int requests;

  /**
   * @param maxPathParam the longest generated path parameter: the HTTP codec refuses a request line
   *     over 4096 bytes before any handler runs, and an endpoint with several parameters needs less
   */
  public BadInput(URI base, long seed, int maxPathParam) {
    this.maxPathParam = maxPathParam;
    String b = base.toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.random = new Random(seed);
  }

  public int requests() {
    return requests;
  }

  public Random random() {
    return random;
  }

  /** One value of {@code gen}, drawn from this harness's seeded generator. */
  public <T> T draw(Gen<T> gen) {
    return gen.next(random);
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  public <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  // ---- generated values
  // --------------------------------------------------------------------------

  /** Strings that break things: empty, blank, long, control characters, unicode, injections. */
  public Gen<String> nastyStrings() {
    return Gen.oneOf(
        Gen.of(
            "",
            " ",
            "\t\n",
            "null",
            "NaN",
            "-1",
            "0",
            "1e309",
            "../../etc/passwd",
            "%00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "\u0000",
            "\u202e\u200b",
            "\ud83d\ude00\ud83d\ude00",
            "st-0000000000000-00000000",
            "val_accuracy ",
            "VAL_ACCURACY"),
        Gen.anyChars(1, 40),
        Gen.chars('\u0000', '\u001f', 1, 10),
        Gen.alpha(200, 300),
        Gen.ints(5_000, 70_000).map(n -> "x".repeat(n)));
  }

  /** Numbers at the edges: zero, negative, huge, fractional where ints go, NaN and infinities. */
  public Gen<JsonNode> nastyNumbers() {
    return Gen.oneOf(
        Gen.of(
            NODES.numberNode(0),
            NODES.numberNode(-1),
            NODES.numberNode(1),
            NODES.numberNode(Integer.MAX_VALUE),
            NODES.numberNode(Integer.MIN_VALUE),
            NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(Long.MIN_VALUE),
            NODES.numberNode(1.5),
            NODES.numberNode(-0.0),
            NODES.numberNode(1e308),
            NODES.numberNode(-1e308),
            NODES.numberNode(4.9e-324),
            raw("NaN"),
            raw("Infinity"),
            raw("-Infinity"),
            raw("1e400"),
            raw("-1e400"),
            raw("123456789012345678901234567890"),
            raw("0.00000000000000000000000000000000000000000000001")),
        Gen.ints(Integer.MIN_VALUE, Integer.MAX_VALUE).map(NODES::numberNode),
        Gen.longs().map(NODES::numberNode),
        Gen.doubles().map(NODES::numberNode));
  }

  /** A token written as is into the JSON text (NaN, 1e400, …), which no node can hold. */
  public static JsonNode raw(String token) {
    return NODES.textNode(RAW + token);
  }

  /** Random JSON of any type, sometimes nested. */
  public JsonNode anyValue(int depth) {
    switch (random.nextInt(depth > 2 ? 4 : 7)) {
      case 0:
        return NODES.nullNode();
      case 1:
        return NODES.textNode(draw(nastyStrings()));
      case 2:
        return draw(nastyNumbers());
      case 3:
        return NODES.booleanNode(random.nextBoolean());
      case 4:
        {
          ArrayNode a = NODES.arrayNode();
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            a.add(anyValue(depth + 1));
          }
          return a;
        }
      default:
        {
          ObjectNode o = NODES.objectNode();
          int n = random.nextInt(4);
          for (int i = 0; i < n; i++) {
            o.set(draw(Gen.alpha(1, 8)), anyValue(depth + 1));
          }
          return o;
        }
    }
  }

  /** Arrays or objects nested {@code depth} deep, around a number. */
  public static String deepNesting(int depth, boolean arrays) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      s.append(arrays ? "[" : "{\"a\":");
    }
    s.append('1');
    for (int i = 0; i < depth; i++) {
      s.append(arrays ? ']' : '}');
    }
    return s.toString();
  }

  /** Bodies that are not the JSON object an endpoint reads. */
  public byte[] garbageBody() {
    switch (random.nextInt(10)) {
      case 0:
        {
          byte[] bytes = new byte[random.nextInt(2000) + 1];
          random.nextBytes(bytes);
          return bytes;
        }
      case 1:
        return utf8(
            pick(List.of("null", "[]", "42", "\"text\"", "true", "{", "}", "[{]", "{\"a\":}")));
      case 2:
        return utf8(deepNesting(random.nextInt(500, 20_000), random.nextBoolean()));
      case 3:
        return utf8("{\"a\": " + deepNesting(2_000, true) + "}");
      case 4:
        return utf8(draw(nastyStrings()));
      case 5:
        return utf8("<xml><space/></xml>");
      case 6:
        return utf8("{\"a\": \"" + "\\u0000".repeat(100) + "\"}");
      case 7:
        return new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', (byte) 0xC3, '}'};
      case 8:
        return utf8("[" + "1,".repeat(random.nextInt(1, 100_000)) + "1]");
      default:
        return utf8("{\"\\ud800\": \"\\udfff\", \"x\": 1}");
    }
  }

  // ---- mutations of a valid JSON body
  // ------------------------------------------------------------

  /**
   * A copy of {@code valid} with one to three mutations at random places: a field set to null,
   * removed, given a wrong type, an edge number, a nasty string, an empty, oversized or deeply
   * nested array, an unknown field added.
   */
  public JsonNode mutate(JsonNode valid) {
    JsonNode copy = valid.deepCopy();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(copy, containers);
      JsonNode container = pick(containers);
      mutateIn(container);
    }
    return copy;
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      for (JsonNode child : node) {
        collectContainers(child, out);
      }
    }
  }

  private void mutateIn(JsonNode container) {
    if (container instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      if (names.isEmpty() || chance(0.1)) {
        o.set(
            pick(List.of("unknownField", "__proto__", "schemaVersion", "extra", "\u00e9t\u00e9")),
            anyValue(0));
        return;
      }
      String name = pick(names);
      if (chance(0.15)) {
        o.remove(name);
      } else {
        o.set(name, replacement(o.get(name)));
      }
    } else if (container instanceof ArrayNode a) {
      if (a.isEmpty() || chance(0.1)) {
        a.removeAll();
        if (chance(0.5)) {
          a.add(anyValue(0));
        }
        return;
      }
      int i = random.nextInt(a.size());
      if (chance(0.15)) {
        a.remove(i);
      } else if (chance(0.1)) {
        JsonNode first = a.get(0);
        int copies = pick(List.of(1_000, 5_000, 20_000));
        for (int k = 0; k < copies; k++) {
          a.add(first.deepCopy());
        }
      } else {
        a.set(i, replacement(a.get(i)));
      }
    }
  }

  private JsonNode replacement(JsonNode old) {
    switch (random.nextInt(9)) {
      case 0:
        return NODES.nullNode();
      case 1:
      case 2:
        return draw(nastyNumbers());
      case 3:
      case 4:
        return NODES.textNode(draw(nastyStrings()));
      case 5:
        return NODES.arrayNode();
      case 6:
        return NODES.objectNode();
      case 7:
        return anyValue(0);
      default:
        return raw(deepNesting(random.nextInt(50, 3_000), random.nextBoolean()));
    }
  }

  /** The JSON text of {@code node}, with the raw tokens written as they are. */
  public static String text(JsonNode node) {
    String s;
    try {
      s = MAPPER.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String marker = "\"\\u0001raw:";
    StringBuilder out = new StringBuilder(s.length());
    int from = 0;
    int at;
    while ((at = s.indexOf(marker, from)) >= 0) {
      out.append(s, from, at);
      int end = at + marker.length();
      while (s.charAt(end) != '"') {
        if (s.charAt(end) == '\\') {
          end++;
        }
        out.append(s.charAt(end));
        end++;
      }
      from = end + 1;
    }
    return out.append(s, from, s.length()).toString();
  }

  public static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A path segment, percent-encoded (spaces as %20). */
  public static String segment(String raw) {
    return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- sending and checking
  // ----------------------------------------------------------------------

  public Answer send(String endpoint, String method, String path, String contentType, byte[] body) {
    return send(endpoint, method, path, contentType, body, Expect.ANY, null);
  }

  public Answer send(
      String endpoint,
      String method,
      String path,
      String contentType,
      byte[] body,
      Expect expect,
      Predicate<Answer> validWhen2xx) {
    return send(endpoint, method, path, contentType, body, false, expect, validWhen2xx);
  }

  /**
   * Sends {@code body} chunked, without a {@code Content-Length}, above the body size limit:
   * Quarkus stops reading at the limit and answers 413 without a body (BodyLimit can only answer a
   * declared length), so only the status is checked.
   */
  public void sendChunkedAboveLimit(String endpoint, String path, String contentType, byte[] body) {
    int before = failures.size();
    Answer answer = send(endpoint, "POST", path, contentType, body, true, Expect.INVALID, null);
    while (failures.size() > before) {
      failures.remove(failures.size() - 1);
    }
    if (answer.status() != 413) {
      failures.add(endpoint + ": a chunked body above the limit got " + answer.status());
    }
  }

  private Answer send(
      String endpoint,
      String method,
      String path,
      String contentType,
      byte[] body,
      boolean chunked,
      Expect expect,
      Predicate<Answer> validWhen2xx) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : chunked
                ? HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body));
    Answer answer;
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      answer =
          new Answer(
              response.statusCode(),
              response.headers().firstValue("Content-Type").orElse(""),
              response.body());
    } catch (IOException e) {
      answer = new Answer(-1, "", String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    requests++;
    figure.computeIfAbsent(endpoint, k -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
    check(endpoint, method, path, contentType, body, expect, validWhen2xx, answer);
    return answer;
  }

  /**
   * A request the HTTP codec refuses before any handler sees it (a request line above {@code
   * quarkus.http.limits.max-initial-line-length}): Vert.x answers {@code status} without a body,
   * and only the status is checked.
   */
  public void sendRefusedByCodec(String endpoint, String path, int status) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    int got;
    try {
      got = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      got = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    requests++;
    figure.computeIfAbsent(endpoint, k -> new TreeMap<>()).merge(got, 1, Integer::sum);
    if (got != status && failures.size() < 40) {
      failures.add(endpoint + ": expected " + status + " from the HTTP codec, got " + got);
    }
  }

  /**
   * A path parameter: a nasty string, at most 3,000 characters (the request line stays below
   * 4,096).
   */
  public String pathParam() {
    String raw = draw(nastyStrings());
    return raw.length() > maxPathParam ? raw.substring(0, maxPathParam) : raw;
  }

  private void check(
      String endpoint,
      String method,
      String path,
      String contentType,
      byte[] body,
      Expect expect,
      Predicate<Answer> validWhen2xx,
      Answer answer) {
    int status = answer.status();
    String problem = null;
    if (status < 0) {
      problem = "no answer: " + answer.body();
    } else if (status >= 500) {
      problem = "a " + status + " answer";
    } else if (status >= 400) {
      problem = errorBodyProblem(answer);
      if (problem == null && expect == Expect.VALID) {
        problem = "a valid request was refused";
      }
    } else if (status >= 200 && status < 300) {
      if (expect == Expect.INVALID) {
        problem = "a broken request was accepted";
      } else if (expect == Expect.ANY && validWhen2xx != null && !validWhen2xx.test(answer)) {
        problem = "accepted, but the request breaks a rule";
      }
    }
    if (problem != null && failures.size() < 40) {
      String sent = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      failures.add(
          endpoint
              + ": "
              + problem
              + "\n  "
              + method
              + " "
              + abbreviate(path, 200)
              + " ("
              + contentType
              + ") "
              + abbreviate(sent, 400)
              + "\n  -> "
              + status
              + " "
              + answer.contentType()
              + " "
              + abbreviate(answer.body(), 400));
    }
  }

  /** Null when the body is {@code {"errors": [{"field", "message"}, …]}}, else what is wrong. */
  public static String errorBodyProblem(Answer answer) {
    if (!answer.contentType().startsWith("application/json")) {
      return "a " + answer.status() + " without a JSON body (" + answer.contentType() + ")";
    }
    JsonNode errors;
    try {
      errors = MAPPER.readTree(answer.body()).get("errors");
    } catch (IOException e) {
      return "a " + answer.status() + " whose body is not JSON";
    }
    if (errors == null || !errors.isArray() || errors.isEmpty()) {
      return "a " + answer.status() + " without a non-empty errors list";
    }
    for (JsonNode e : errors) {
      JsonNode field = e.get("field");
      JsonNode message = e.get("message");
      if (field == null || !field.isTextual() || field.asText().isBlank()) {
        return "a " + answer.status() + " with an error that names no field";
      }
      if (message == null || !message.isTextual() || message.asText().isBlank()) {
        return "a " + answer.status() + " with an error without a message";
      }
    }
    return null;
  }

  private static String abbreviate(String s, int max) {
    String flat = s.replaceAll("\\p{Cntrl}", "?");
    return flat.length() <= max ? flat : flat.substring(0, max) + "…(" + flat.length() + " chars)";
  }

  /**
   * Prints the figure and writes it to {@code target/bad-input-<module>.json}; returns the failures
   * found (empty when every answer followed the rules).
   */
  public List<String> report(String module, long seed, long millis) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("module", module);
    out.put("seed", seed);
    out.put("requests", requests);
    out.put("millis", millis);
    Map<String, Map<String, Integer>> perEndpoint = new TreeMap<>();
    figure.forEach(
        (endpoint, byStatus) -> {
          Map<String, Integer> m = new TreeMap<>();
          byStatus.forEach((status, count) -> m.put(String.valueOf(status), count));
          perEndpoint.put(endpoint, m);
        });
    out.put("byEndpointAndStatus", perEndpoint);
    String json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out);
    System.out.println("bad-input figure: " + json);
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.writeString(target.resolve("bad-input-" + module + ".json"), json + "\n");
    return List.copyOf(failures);
  }
}
