package io.sharpsweep.sampler.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.Json;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;

/**
 * Turns a Jackson failure to read a request body into a {@link FieldError} that names the field in
 * SharpSweep's notation ({@code space.params[0].low}) and says what was expected, instead of
 * Jackson's message about Java types.
 */
final class JsonInputErrors {
  static final String BODY = "body";

  private JsonInputErrors() {}

  static FieldError toFieldError(JsonProcessingException e) {
    // Jackson wraps a syntax error met inside an object in a mapping exception whose path stops at
    // that
    // object; the parser's own position is more precise.
    StreamReadException syntax = syntaxError(e);
    String field = syntax == null ? "" : parserPath(syntax);
    if (field.isEmpty() && e instanceof JsonMappingException m) {
      field = Json.pathOf(m);
    }
    return new FieldError(
        field.isEmpty() ? BODY : field, syntax == null ? message(e) : message(syntax));
  }

  private static StreamReadException syntaxError(Throwable t) {
    for (; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StreamReadException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * Where the parser stood when the text stopped being JSON (a syntax error has no reference
   * chain).
   */
  private static String parserPath(JsonProcessingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser)) {
      return "";
    }
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      if (c.inArray()) {
        parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        parts.addFirst("." + c.getCurrentName());
      }
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String message(JsonProcessingException e) {
    if (e instanceof InvalidFormatException f) {
      return "cannot read " + quote(f.getValue()) + " as " + expected(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v) {
      Throwable cause = rootCause(e);
      if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
        return cause
            .getMessage(); // our own @JsonCreator rules, e.g. "unknown parameter type 'floaty'
        // (...)"
      }
      return "is not a valid " + v.getType().getRawClass().getSimpleName() + " (" + cause + ")";
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "must be " + expected(m.getTargetType());
    }
    if (e instanceof InputCoercionException) {
      return "is out of range: " + firstLine(e.getOriginalMessage());
    }
    if (e instanceof JsonParseException) {
      return "malformed JSON: " + firstLine(e.getOriginalMessage()) + at(e.getLocation());
    }
    return "cannot read the request: " + firstLine(e.getOriginalMessage()) + at(e.getLocation());
  }

  private static String expected(Class<?> type) {
    if (type == Double.class
        || type == double.class
        || type == Float.class
        || type == float.class) {
      return "a number";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (type.isEnum()) {
      return "one of the allowed names";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    }
    return "a " + type.getSimpleName();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static String quote(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable input";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
