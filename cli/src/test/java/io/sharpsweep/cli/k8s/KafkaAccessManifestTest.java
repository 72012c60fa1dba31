package io.sharpsweep.cli.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sharpsweep.cli.stack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Kafka access on Kubernetes is least privilege and matches the code: the Kafka cluster has only
 * authenticated listeners and the ACL authorizer; every service whose application.properties
 * declares a Kafka channel has a KafkaUser whose ACLs are exactly those its channels need (Read +
 * Describe on consumed topics and the consumer group, Write + Describe on produced topics and
 * dead-letter topics); no other user exists; and each Deployment takes its user's credentials, and
 * only its own, from the Secret Strimzi creates for it.
 *
 * <p>Checked on the base (k8s/base with k8s/base/kafka, as the overlays include them) and on every
 * overlay, rendered by {@link MiniKustomize}; {@link #theReaderAgreesWithKubectl} compares that
 * rendering with {@code kubectl kustomize} where kubectl is installed.
 */
class KafkaAccessManifestTest {
  private static final Path ROOT = Path.of("..");
  private static final Path K8S = ROOT.resolve("k8s");
  private static final Set<String> SERVICES =
      Set.of("scheduler", "sampler", "results-store", "trainer-worker");
  private static final Pattern CHANNEL =
      Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(.+)");
  private static final Set<String> READ = Set.of("Read", "Describe");
  private static final Set<String> WRITE = Set.of("Write", "Describe");

  record Resource(String type, String name) implements Comparable<Resource> {
    @Override
    public int compareTo(Resource o) {
      return (type + "/" + name).compareTo(o.type + "/" + o.name);
    }
  }

  /** The renderings checked: name → resources. */
  private static Map<String, List<ObjectNode>> renderings() throws IOException {
    Map<String, List<ObjectNode>> r = new TreeMap<>();
    List<ObjectNode> base = new ArrayList<>(MiniKustomize.render(K8S.resolve("base")));
    base.addAll(MiniKustomize.render(K8S.resolve("base/kafka")));
    r.put("base", base);
    try (Stream<Path> s = Files.list(K8S.resolve("overlays"))) {
      for (Path o : s.filter(Files::isDirectory).sorted().toList()) {
        r.put("overlays/" + o.getFileName(), MiniKustomize.render(o));
      }
    }
    assertThat(r).containsKeys("overlays/cpu", "overlays/gpu");
    return r;
  }

  @Test
  void everyKafkaUserHasExactlyTheAclsItsServiceNeeds() throws IOException {
    Map<String, Map<Resource, Set<String>>> expected = new TreeMap<>();
    for (String svc : SERVICES) {
      Map<Resource, Set<String>> acls = aclsFromProperties(svc);
      if (!acls.isEmpty()) {
        expected.put("sharpsweep-" + svc, acls);
      }
    }
    // What the code does today; a change here is a change of access to review.
    assertThat(expected.keySet())
        .containsExactlyInAnyOrder(
            "sharpsweep-scheduler", "sharpsweep-results-store", "sharpsweep-trainer-worker");

    for (var rendering : renderings().entrySet()) {
      String where = rendering.getKey();
      List<ObjectNode> rs = rendering.getValue();
      ObjectNode kafka = only(rs, "Kafka");
      String cluster = MiniKustomize.name(kafka);
      Map<String, Map<Resource, Set<String>>> actual = new TreeMap<>();
      for (ObjectNode u : ofKind(rs, "KafkaUser")) {
        String user = MiniKustomize.name(u);
        assertThat(u.path("metadata").path("labels").path("strimzi.io/cluster").asText())
            .as(where + " " + user + " cluster label")
            .isEqualTo(cluster);
        assertThat(u.path("spec").path("authentication").path("type").asText())
            .as(where + " " + user)
            .isEqualTo("scram-sha-512");
        JsonNode authz = u.path("spec").path("authorization");
        assertThat(authz.path("type").asText()).as(where + " " + user).isEqualTo("simple");
        Map<Resource, Set<String>> acls = new TreeMap<>();
        for (JsonNode acl : authz.path("acls")) {
          JsonNode res = acl.path("resource");
          assertThat(res.path("patternType").asText("literal"))
              .as(where + " " + user + " " + res + ": no prefix patterns")
              .isEqualTo("literal");
          assertThat(res.path("name").asText()).as(where + " " + user).isNotEqualTo("*");
          assertThat(acl.path("host").asText("*")).as(where + " " + user).isEqualTo("*");
          assertThat(acl.path("type").asText("allow")).as(where + " " + user).isEqualTo("allow");
          assertThat(acl.has("operation")).as(where + " " + user + ": use operations").isFalse();
          Set<String> ops =
              acls.computeIfAbsent(
                  new Resource(res.path("type").asText(), res.path("name").asText()),
                  k -> new TreeSet<>());
          acl.path("operations").forEach(op -> ops.add(op.asText()));
        }
        assertThat(actual.put(user, acls)).as(where + ": " + user + " twice").isNull();
      }
      assertThat(actual).as(where + ": the KafkaUsers and their ACLs").isEqualTo(expected);
    }
  }

  @Test
  void theClusterAcceptsOnlyAuthenticatedClientsAndAuthorizesThem() throws IOException {
    for (var rendering : renderings().entrySet()) {
      String where = rendering.getKey();
      ObjectNode kafka = only(rendering.getValue(), "Kafka");
      JsonNode spec = kafka.path("spec");
      assertThat(spec.path("kafka").path("authorization").path("type").asText())
          .as(where)
          .isEqualTo("simple");
      assertThat(spec.path("entityOperator").has("userOperator"))
          .as(where + ": the User Operator creates the KafkaUsers")
          .isTrue();
      assertThat(spec.path("kafka").path("listeners")).as(where).isNotEmpty();
      for (JsonNode l : spec.path("kafka").path("listeners")) {
        assertThat(l.path("authentication").path("type").asText())
            .as(where + ": listener " + l.path("name"))
            .isEqualTo("scram-sha-512");
        assertThat(l.path("tls").asBoolean()).as(where + ": listener " + l.path("name")).isTrue();
      }
    }
  }

  @Test
  void everyDeploymentUsesItsOwnUsersSecretAndTheSecureListener() throws IOException {
    for (var rendering : renderings().entrySet()) {
      String where = rendering.getKey();
      List<ObjectNode> rs = rendering.getValue();
      ObjectNode kafka = only(rs, "Kafka");
      String cluster = MiniKustomize.name(kafka);
      JsonNode listener = kafka.path("spec").path("kafka").path("listeners").get(0);
      Set<String> users = new TreeSet<>();
      ofKind(rs, "KafkaUser").forEach(u -> users.add(MiniKustomize.name(u)));
      Set<String> deploymentsWithKafka = new TreeSet<>();
      for (ObjectNode d : ofKind(rs, "Deployment")) {
        String name = MiniKustomize.name(d);
        assertThat(SERVICES).as(where + ": a Deployment of a known service").contains(name);
        String user = "sharpsweep-" + name;
        Map<String, String> env = env(d, rs, where);
        boolean talksKafka = !aclsFromProperties(name).isEmpty();
        // No Deployment may read another user's credentials.
        Set<String> secrets = secretsReferenced(d);
        for (String other : users) {
          if (!other.equals(user)) {
            assertThat(secrets)
                .as(where + " " + name + " must not read " + other)
                .doesNotContain(other);
          }
        }
        if (!talksKafka) {
          assertThat(env.keySet().stream().filter(k -> k.startsWith("KAFKA_")).toList())
              .as(where + " " + name + " has no Kafka channel")
              .isEmpty();
          continue;
        }
        deploymentsWithKafka.add(name);
        assertThat(users).as(where + ": " + user).contains(user);
        assertThat(env)
            .as(where + " " + name)
            .containsEntry(
                "KAFKA_BOOTSTRAP_SERVERS",
                cluster + "-kafka-bootstrap:" + listener.path("port").asInt())
            .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
            .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
            .containsEntry("KAFKA_SASL_JAAS_CONFIG", "secret:" + user + "/sasl.jaas.config")
            .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
            .containsEntry(
                "KAFKA_SSL_TRUSTSTORE_CERTIFICATES",
                "secret:" + cluster + "-cluster-ca-cert/ca.crt");
      }
      Set<String> expectedUsers = new TreeSet<>();
      deploymentsWithKafka.forEach(n -> expectedUsers.add("sharpsweep-" + n));
      assertThat(users)
          .as(where + ": one user per Deployment that talks Kafka")
          .isEqualTo(expectedUsers);
    }
  }

  /**
   * Kafka is reached only through the channels of application.properties, which the ACLs follow.
   * The one plain client allowed is the producer of a failure strategy (a {@code
   * KafkaFailureHandler.Factory}) that writes the channel's {@code dead-letter-queue.topic}, which
   * the ACL derivation covers. The code the services share (module service-support) is read too.
   */
  @Test
  void noServiceUsesAPlainKafkaClient() throws IOException {
    Pattern plain =
        Pattern.compile(
            "new KafkaProducer|new KafkaConsumer|AdminClient|Admin\\.create|KafkaClientService"
                + "|default-kafka-broker|KafkaAdminClient|createTopics");
    Set<String> modules = new TreeSet<>(SERVICES);
    modules.add("service-support");
    for (String svc : modules) {
      // every module of the service's folder: its core and its service
      try (Stream<Path> s = Files.walk(ROOT.resolve(svc))) {
        for (Path f : s.filter(KafkaAccessManifestTest::isMainSource).toList()) {
          String source = Files.readString(f);
          if (source.contains("implements KafkaFailureHandler.Factory")
              && source.contains("getDeadLetterQueueTopic()")) {
            continue;
          }
          Matcher m = plain.matcher(source);
          assertThat(m.find() ? m.group() : null).as(f.toString()).isNull();
        }
      }
    }
  }

  /**
   * Where kubectl (with its built-in Kustomize) is installed, the reader's rendering of what the
   * other tests read equals kubectl's: the Kafka cluster, the KafkaUsers, the ConfigMap's data and
   * every Deployment's environment. Skipped without kubectl.
   */
  @Test
  void theReaderAgreesWithKubectl() throws Exception {
    Assumptions.assumeTrue(kubectlWorks(), "kubectl kustomize is not available");
    Map<String, Path> dirs = new TreeMap<>();
    dirs.put("base", K8S.resolve("base"));
    dirs.put("base/kafka", K8S.resolve("base/kafka"));
    try (Stream<Path> s = Files.list(K8S.resolve("overlays"))) {
      s.filter(Files::isDirectory).forEach(o -> dirs.put("overlays/" + o.getFileName(), o));
    }
    for (var e : dirs.entrySet()) {
      List<ObjectNode> ours = MiniKustomize.render(e.getValue());
      List<ObjectNode> theirs = kubectl(e.getValue());
      assertThat(projection(theirs)).as(e.getKey()).isEqualTo(projection(ours));
    }
  }

  private static boolean isMainSource(Path p) {
    String path = p.toString().replace('\\', '/');
    return path.endsWith(".java") && path.contains("/src/main/java/") && !path.contains("/target/");
  }

  // ---- application.properties → ACLs --------------------------------------------------------

  /** The ACLs the service's Kafka channels need, read from its application.properties. */
  static Map<Resource, Set<String>> aclsFromProperties(String service) throws IOException {
    Properties p = new Properties();
    try (Reader r =
        Files.newBufferedReader(
            LocalStack.serviceModule(ROOT, service)
                .resolve("src/main/resources/application.properties"))) {
      p.load(r);
    }
    Map<String, Map<String, String>> channels = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("%")) {
        continue; // profiles (%test, %dev) do not run in the cluster
      }
      if (key.startsWith("mp.messaging.connector.") || key.startsWith("kafka.group")) {
        fail(service + ": connector-wide Kafka settings are not derived into ACLs: " + key);
      }
      Matcher m = CHANNEL.matcher(key);
      if (m.matches()) {
        channels
            .computeIfAbsent(m.group(1) + ":" + m.group(2), k -> new HashMap<>())
            .put(m.group(3), p.getProperty(key).trim());
      }
    }
    Map<Resource, Set<String>> acls = new TreeMap<>();
    for (var c : channels.entrySet()) {
      Map<String, String> cfg = c.getValue();
      if (!"smallrye-kafka".equals(cfg.get("connector"))) {
        continue;
      }
      String direction = c.getKey().substring(0, c.getKey().indexOf(':'));
      String channel = c.getKey().substring(c.getKey().indexOf(':') + 1);
      String where = service + " channel " + channel;
      for (String unsupported : List.of("topics", "pattern", "transactional.id")) {
        if (cfg.containsKey(unsupported)) {
          fail(where + ": " + unsupported + " is not derived into ACLs; extend this test");
        }
      }
      String topic = cfg.getOrDefault("topic", channel);
      if (direction.equals("outgoing")) {
        add(acls, new Resource("topic", topic), WRITE);
        continue;
      }
      add(acls, new Resource("topic", topic), READ);
      String group = cfg.get("group.id");
      if (group == null) {
        fail(where + ": no group.id, so no ACL can name the consumer group");
      }
      add(acls, new Resource("group", group), READ);
      String failure = cfg.getOrDefault("failure-strategy", "fail");
      switch (failure) {
        case "fail", "ignore" -> {}
        case "dead-letter-queue", "sharpsweep-dead-letter" ->
            add(
                acls,
                new Resource(
                    "topic",
                    cfg.getOrDefault("dead-letter-queue.topic", "dead-letter-topic-" + channel)),
                WRITE);
        default -> fail(where + ": failure-strategy " + failure + " is not derived into ACLs");
      }
    }
    return acls;
  }

  private static void add(Map<Resource, Set<String>> acls, Resource r, Set<String> ops) {
    acls.computeIfAbsent(r, k -> new TreeSet<>()).addAll(ops);
  }

  // ---- rendered resources --------------------------------------------------------------------

  private static List<ObjectNode> ofKind(List<ObjectNode> rs, String kind) {
    return rs.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
  }

  private static ObjectNode only(List<ObjectNode> rs, String kind) {
    List<ObjectNode> found = ofKind(rs, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  /** The first container's environment: values, ConfigMap keys resolved, "secret:NAME/KEY". */
  private static Map<String, String> env(ObjectNode d, List<ObjectNode> rs, String where) {
    Map<String, String> env = new TreeMap<>();
    JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      JsonNode from = e.path("valueFrom");
      if (e.has("value")) {
        env.put(name, e.get("value").asText());
      } else if (from.has("configMapKeyRef")) {
        JsonNode ref = from.get("configMapKeyRef");
        ObjectNode cm =
            ofKind(rs, "ConfigMap").stream()
                .filter(c -> MiniKustomize.name(c).equals(ref.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no ConfigMap " + ref));
        JsonNode v = cm.path("data").path(ref.path("key").asText());
        assertThat(v.isMissingNode()).as(where + " " + ref).isFalse();
        env.put(name, v.asText());
      } else if (from.has("secretKeyRef")) {
        JsonNode ref = from.get("secretKeyRef");
        env.put(name, "secret:" + ref.path("name").asText() + "/" + ref.path("key").asText());
      } else {
        env.put(name, from.toString());
      }
    }
    return env;
  }

  private static Set<String> secretsReferenced(ObjectNode d) {
    Set<String> names = new TreeSet<>();
    d.findValues("secretKeyRef").forEach(r -> names.add(r.path("name").asText()));
    d.findValues("secretRef").forEach(r -> names.add(r.path("name").asText()));
    d.findValues("secret").forEach(r -> names.add(r.path("secretName").asText()));
    return names;
  }

  // ---- kubectl comparison --------------------------------------------------------------------

  private static boolean kubectlWorks() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static List<ObjectNode> kubectl(Path dir) throws Exception {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    Path out = Files.createTempFile("kustomize", ".yaml");
    try (InputStream in = p.getInputStream()) {
      Files.write(out, in.readAllBytes());
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize " + dir).isZero();
    try {
      return MiniKustomize.readAll(out);
    } finally {
      Files.delete(out);
    }
  }

  /**
   * What the tests read, comparable across renderers: the generated ConfigMap's hash suffix (which
   * the reader does not add) is removed from its name and from every reference to it.
   */
  private static Map<String, JsonNode> projection(List<ObjectNode> rs) {
    Map<String, String> generated = new HashMap<>();
    for (ObjectNode c : ofKind(rs, "ConfigMap")) {
      String n = MiniKustomize.name(c);
      Optional.of(n.replaceFirst("-[a-z0-9]{10}$", ""))
          .filter(b -> !b.equals(n))
          .ifPresent(b -> generated.put(n, b));
    }
    Map<String, JsonNode> out = new TreeMap<>();
    for (ObjectNode r : rs) {
      String kind = r.path("kind").asText();
      ObjectNode copy = r.deepCopy();
      unhash(copy, generated);
      String key = kind + "/" + MiniKustomize.name(copy);
      switch (kind) {
        case "Kafka", "KafkaUser" -> out.put(key, copy);
        case "ConfigMap" -> out.put(key, copy.path("data"));
        case "Deployment" ->
            copy.path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .forEach(c -> out.put(key + "/" + c.path("name").asText(), c.path("env")));
        default -> {}
      }
    }
    return out;
  }

  private static void unhash(JsonNode n, Map<String, String> generated) {
    if (n instanceof ObjectNode o) {
      List<String> fields = new ArrayList<>();
      o.fieldNames().forEachRemaining(fields::add);
      for (String f : fields) {
        JsonNode v = o.get(f);
        if (v.isTextual() && generated.containsKey(v.asText())) {
          o.put(f, generated.get(v.asText()));
        } else {
          unhash(v, generated);
        }
      }
    } else if (n.isArray()) {
      n.forEach(c -> unhash(c, generated));
    }
  }
}
