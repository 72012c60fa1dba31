package io.sharpsweep.cli.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small Kustomize for the tests, covering exactly what {@code k8s/} uses, so that the manifests
 * can be checked where no {@code kubectl} or {@code kustomize} is installed: {@code resources}
 * (files and directories with their own kustomization), {@code namespace}, {@code labels} (metadata
 * only), {@code configMapGenerator} (literals), {@code patches} given by {@code path} (strategic
 * merge: maps merged, a Deployment's containers, env and volumes merged by name, other lists
 * replaced) or inline with a {@code target} (JSON 6902 add/replace/remove).
 *
 * <p>Left out on purpose, because they touch nothing the tests read: {@code images} (image names),
 * {@code replacements} (the KEDA queue URL) and the content hash that Kustomize appends to a
 * generated ConfigMap's name (names stay as written). Any other kustomization field, or an option
 * of the supported ones that is not implemented, fails the rendering instead of being skipped, so
 * the reader cannot silently drift from what the manifests say. Where {@code kubectl} is on the
 * PATH, {@link KafkaAccessManifestTest} compares this rendering with {@code kubectl kustomize}.
 */
final class MiniKustomize {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> KNOWN =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "namespace",
          "labels",
          "configMapGenerator",
          "patches",
          "images",
          "replacements");
  private static final Set<String> MERGE_BY_NAME =
      Set.of("containers", "initContainers", "env", "volumes");

  private MiniKustomize() {}

  /** The resources that {@code kustomize build dir} would emit, in no particular order. */
  static List<ObjectNode> render(Path dir) {
    ObjectNode k = (ObjectNode) readAll(dir.resolve("kustomization.yaml")).get(0);
    k.fieldNames()
        .forEachRemaining(
            f -> {
              if (!KNOWN.contains(f)) {
                throw new IllegalStateException(
                    dir + ": kustomization field " + f + " is not understood by MiniKustomize");
              }
            });
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(render(p));
      } else {
        readAll(p).forEach(out::add);
      }
    }
    for (JsonNode g : k.path("configMapGenerator")) {
      requireOnly(dir, g, Set.of("name", "literals"));
      ObjectNode cm = YAML.createObjectNode();
      cm.put("apiVersion", "v1").put("kind", "ConfigMap");
      cm.putObject("metadata").put("name", g.get("name").asText());
      ObjectNode data = cm.putObject("data");
      for (JsonNode l : g.path("literals")) {
        String s = l.asText();
        int eq = s.indexOf('=');
        data.put(s.substring(0, eq), s.substring(eq + 1));
      }
      out.add(cm);
    }
    for (JsonNode p : k.path("patches")) {
      if (p.has("path")) {
        requireOnly(dir, p, Set.of("path"));
        for (ObjectNode patch : readAll(dir.resolve(p.get("path").asText()))) {
          List<ObjectNode> hits =
              out.stream()
                  .filter(
                      r -> r.path("kind").equals(patch.path("kind")) && name(r).equals(name(patch)))
                  .toList();
          if (hits.size() != 1) {
            throw new IllegalStateException(
                dir + ": patch " + patch.path("kind") + "/" + name(patch) + " matches " + hits);
          }
          merge(hits.get(0), patch, patch.path("kind").asText());
        }
      } else {
        requireOnly(dir, p, Set.of("target", "patch"));
        JsonNode t = p.get("target");
        requireOnly(dir, t, Set.of("group", "kind", "name"));
        JsonNode ops = readTree(p.get("patch").asText());
        for (ObjectNode r : out) {
          if (matches(t, r)) {
            for (JsonNode op : ops) {
              apply(r, op, dir);
            }
          }
        }
      }
    }
    for (JsonNode l : k.path("labels")) {
      requireOnly(dir, l, Set.of("pairs", "includeSelectors"));
      if (l.path("includeSelectors").asBoolean(false)) {
        throw new IllegalStateException(dir + ": labels with includeSelectors are not implemented");
      }
      for (ObjectNode r : out) {
        ObjectNode meta = object(r, "metadata");
        ObjectNode labels = object(meta, "labels");
        l.get("pairs").fields().forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
      }
    }
    if (k.has("namespace")) {
      for (ObjectNode r : out) {
        if (!r.path("kind").asText().equals("Namespace")) {
          ((ObjectNode) r.get("metadata")).put("namespace", k.get("namespace").asText());
        }
      }
    }
    return out;
  }

  static String name(JsonNode r) {
    return r.path("metadata").path("name").asText();
  }

  static List<ObjectNode> readAll(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      List<ObjectNode> docs = new ArrayList<>();
      Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && n.isObject()) {
          docs.add((ObjectNode) n);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  static JsonNode readTree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireOnly(Path dir, JsonNode n, Set<String> fields) {
    n.fieldNames()
        .forEachRemaining(
            f -> {
              if (!fields.contains(f)) {
                throw new IllegalStateException(dir + ": " + f + " is not implemented in " + n);
              }
            });
  }

  private static boolean matches(JsonNode target, JsonNode r) {
    String api = r.path("apiVersion").asText();
    String group = api.contains("/") ? api.substring(0, api.indexOf('/')) : "";
    return (!target.has("group") || target.get("group").asText().equals(group))
        && (!target.has("kind") || target.get("kind").asText().equals(r.path("kind").asText()))
        && (!target.has("name")
            || Pattern.compile(target.get("name").asText()).matcher(name(r)).matches());
  }

  /** Strategic merge as Kustomize does it for the fields our patches touch. */
  private static void merge(ObjectNode target, JsonNode patch, String kind) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = target.get(e.getKey());
      JsonNode v = e.getValue();
      if (old != null && old.isObject() && v.isObject()) {
        merge((ObjectNode) old, v, kind);
      } else if (old != null
          && old.isArray()
          && v.isArray()
          && kind.equals("Deployment")
          && MERGE_BY_NAME.contains(e.getKey())) {
        // As Kustomize orders them: the patch's items (merged into the originals of the same name)
        // first, then the originals the patch does not name.
        ArrayNode merged = YAML.createArrayNode();
        List<JsonNode> rest = new ArrayList<>();
        old.forEach(rest::add);
        for (JsonNode item : v) {
          JsonNode same = null;
          for (JsonNode o : rest) {
            if (o.path("name").equals(item.path("name"))) {
              same = o;
            }
          }
          if (same == null) {
            merged.add(item.deepCopy());
          } else {
            rest.remove(same);
            merge((ObjectNode) same, item, kind);
            merged.add(same);
          }
        }
        rest.forEach(merged::add);
        target.set(e.getKey(), merged);
      } else {
        target.set(e.getKey(), v.deepCopy());
      }
    }
  }

  /** One JSON 6902 operation: add, replace or remove at a JSON pointer of object keys. */
  private static void apply(ObjectNode r, JsonNode op, Path dir) {
    String[] path = op.get("path").asText().substring(1).split("/");
    JsonNode parent = r;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.isArray() ? parent.get(Integer.parseInt(path[i])) : parent.get(path[i]);
      if (parent == null) {
        throw new IllegalStateException(dir + ": no " + op.get("path") + " in " + name(r));
      }
    }
    String last = path[path.length - 1];
    if (!parent.isObject()) {
      throw new IllegalStateException(dir + ": JSON patch into a list is not implemented: " + op);
    }
    ObjectNode obj = (ObjectNode) parent;
    switch (op.get("op").asText()) {
      case "add" -> obj.set(last, op.get("value").deepCopy());
      case "replace" -> {
        if (!obj.has(last)) {
          throw new IllegalStateException(dir + ": replace of a missing " + op.get("path"));
        }
        obj.set(last, op.get("value").deepCopy());
      }
      case "remove" -> obj.remove(last);
      default -> throw new IllegalStateException(dir + ": JSON patch op not implemented: " + op);
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    if (!parent.path(field).isObject()) {
      parent.putObject(field);
    }
    return (ObjectNode) parent.get(field);
  }
}
