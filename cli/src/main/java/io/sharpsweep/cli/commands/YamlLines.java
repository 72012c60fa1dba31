package io.sharpsweep.cli.commands;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every field of a YAML (or JSON) document, by the path notation of the services'
 * errors ({@code space[3].low}), so a CLI error can point at the line to fix.
 */
final class YamlLines {
  private final Map<String, Integer> lines = new HashMap<>();

  YamlLines(String document) {
    try (JsonParser p = new YAMLFactory().createParser(document)) {
      Deque<Frame> stack = new ArrayDeque<>();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        Frame top = stack.peek();
        if (t == JsonToken.FIELD_NAME) {
          top.key = p.currentName();
          lines.put(top.path(), p.currentLocation().getLineNr());
          continue;
        }
        if (top != null && top.array) {
          top.index++;
          lines.put(top.path(), p.currentLocation().getLineNr());
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          stack.push(new Frame(top == null ? "" : top.path(), t == JsonToken.START_ARRAY));
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          stack.pop();
        }
      }
    } catch (IOException e) {
      // a document that does not parse has no lines to offer; the service's error says why
    }
  }

  /** The line of {@code field} or of its nearest enclosing field, or -1. */
  int lineOf(String field) {
    String f = field;
    while (!f.isEmpty()) {
      Integer line = lines.get(f);
      if (line != null) {
        return line;
      }
      int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      f = cut <= 0 ? "" : f.substring(0, cut);
    }
    return -1;
  }

  private static final class Frame {
    final String prefix;
    final boolean array;
    String key;
    int index = -1;

    Frame(String prefix, boolean array) {
      this.prefix = prefix;
      this.array = array;
    }

    String path() {
      if (array) {
        return prefix + "[" + index + "]";
      }
      return prefix.isEmpty() ? key : prefix + "." + key;
    }
  }
}
