package io.sharpsweep.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON codec of SharpSweep: every Kafka record and REST body goes through it. Unknown
 * fields are ignored (newer producers may add some), nulls are left out, and anything that cannot
 * be decoded is a {@link MalformedRecordException} naming the target type and Jackson's reason.
 * Times ({@link java.time.Instant}) are ISO-8601 text, as the services' REST answers write them.
 */
public final class Json {
  private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());
  private static final ObjectMapper YAML = configure(new YAMLMapper(new YAMLFactory()));

  private Json() {}

  /**
   * Applies SharpSweep's settings to a mapper (used by the services to configure Quarkus's own
   * mapper).
   */
  public static <M extends ObjectMapper> M configure(M mapper) {
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
    mapper.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.registerModule(new JavaTimeModule());
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    return mapper;
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static String encodeToString(Object value) {
    return new String(encode(value), StandardCharsets.UTF_8);
  }

  /** Indented JSON, for people to read (the CLI's {@code --json}). */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static <T> T decode(byte[] bytes, Class<T> type) {
    if (bytes == null) {
      throw new MalformedRecordException(
          "empty record where a " + type.getSimpleName() + " was expected");
    }
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw new MalformedRecordException(
            "null record where a " + type.getSimpleName() + " was expected");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException(
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), pathOf(e), e);
    } catch (IOException e) {
      throw new MalformedRecordException(
          "cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public static <T> T decode(String text, Class<T> type) {
    return decode(text == null ? null : text.getBytes(StandardCharsets.UTF_8), type);
  }

  /**
   * The JSON path of the field a decoding error is about, in SharpSweep's notation: {@code
   * space.params[3].low}; empty when the error names no field. The services' error bodies name the
   * field of an unreadable request body with it.
   */
  public static String pathOf(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Reads a YAML (or JSON, which is YAML) document, for study files written by hand. */
  public static <T> T decodeYaml(String text, Class<T> type) {
    try {
      T value = YAML.readValue(text, type);
      if (value == null) {
        throw new MalformedRecordException(
            "empty document where a " + type.getSimpleName() + " was expected");
      }
      return value;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new MalformedRecordException(
          "not a valid " + type.getSimpleName() + where + ": " + e.getOriginalMessage(),
          pathOf(e),
          e);
    }
  }
}
