package io.sharpsweep.protocol.messages;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.sharpsweep.protocol.Json;
import java.io.IOException;

/**
 * Decodes the records of {@code sharpsweep.reports}: what {@code Json.decode(bytes,
 * ReportMessage.class)} returns, faster for the record a store reads thousands of times a second.
 *
 * <p>An epoch report in its usual shape (every field of the expected JSON type, integers within
 * their field, each field at most once) is read in one pass over Jackson's token stream: no
 * polymorphic type buffering, no creator lookup, no tree. Fields it does not know are skipped, as
 * the one codec ignores them. Anything else — a {@link TrialFailed}, a missing or {@code null}
 * primitive, a number for a string, a float for an integer, a duplicated field, broken JSON — goes
 * through {@link Json#decode(byte[], Class)}, so that what is accepted, its values and every error
 * message stay those of the one codec. The checks that follow decoding ({@code schemaVersion} and
 * the field rules) are the consumer's, as before.
 */
public final class ReportCodec {
  /**
   * The one codec's factory (its limits and features), reading floating-point numbers with
   * Jackson's fast parser, which gives the same correctly rounded double as the JDK's.
   */
  private static final JsonFactory FACTORY =
      Json.mapper().getFactory().rebuild().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private ReportCodec() {}

  /**
   * The record in {@code bytes}.
   *
   * @throws io.sharpsweep.protocol.MalformedRecordException as {@link Json#decode(byte[], Class)}
   */
  public static ReportMessage decode(byte[] bytes) {
    EpochReport fast = bytes == null ? null : usualEpochReport(bytes);
    return fast != null ? fast : Json.decode(bytes, ReportMessage.class);
  }

  /** The epoch report in {@code bytes} if it has the usual shape, else null. */
  static EpochReport usualEpochReport(byte[] bytes) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      return p.nextToken() == JsonToken.START_OBJECT ? report(p) : null;
    } catch (IOException | Unusual e) {
      return null;
    }
  }

  /** Thrown where the record is not in the usual shape; the one codec takes it from there. */
  private static final class Unusual extends RuntimeException {
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super(null, null, false, false);
    }
  }

  private static final int TYPE = 1;
  private static final int SCHEMA_VERSION = 1 << 1;
  private static final int STUDY_ID = 1 << 2;
  private static final int TRIAL_ID = 1 << 3;
  private static final int ATTEMPT = 1 << 4;
  private static final int EPOCH = 1 << 5;
  private static final int METRICS = 1 << 6;
  private static final int COST = 1 << 7;
  private static final int WORKER_ID = 1 << 8;
  private static final int CHECKPOINT_URI = 1 << 9;
  private static final int FINAL = 1 << 10;
  private static final int LEASE_ID = 1 << 11;

  /** The primitives, which the one codec refuses to leave out. */
  private static final int REQUIRED = TYPE | SCHEMA_VERSION | ATTEMPT | EPOCH | FINAL;

  private static EpochReport report(JsonParser p) throws IOException {
    int seen = 0;
    int schemaVersion = 0;
    int attempt = 0;
    int epoch = 0;
    boolean finalEpoch = false;
    String studyId = null;
    String trialId = null;
    String workerId = null;
    String checkpointUri = null;
    String leaseId = null;
    Metrics metrics = null;
    Cost cost = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw Unusual.INSTANCE;
      }
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "type" -> {
          seen = once(seen, TYPE);
          if (v != JsonToken.VALUE_STRING || !"epoch-report".equals(p.getText())) {
            throw Unusual.INSTANCE;
          }
        }
        case "schemaVersion" -> {
          seen = once(seen, SCHEMA_VERSION);
          schemaVersion = intValue(p, v);
        }
        case "studyId" -> {
          seen = once(seen, STUDY_ID);
          studyId = text(p, v);
        }
        case "trialId" -> {
          seen = once(seen, TRIAL_ID);
          trialId = text(p, v);
        }
        case "attempt" -> {
          seen = once(seen, ATTEMPT);
          attempt = intValue(p, v);
        }
        case "epoch" -> {
          seen = once(seen, EPOCH);
          epoch = intValue(p, v);
        }
        case "metrics" -> {
          seen = once(seen, METRICS);
          metrics = v == JsonToken.VALUE_NULL ? null : metrics(p, v);
        }
        case "cost" -> {
          seen = once(seen, COST);
          cost = v == JsonToken.VALUE_NULL ? null : cost(p, v);
        }
        case "workerId" -> {
          seen = once(seen, WORKER_ID);
          workerId = text(p, v);
        }
        case "checkpointUri" -> {
          seen = once(seen, CHECKPOINT_URI);
          checkpointUri = text(p, v);
        }
        case "final" -> {
          seen = once(seen, FINAL);
          if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw Unusual.INSTANCE;
          }
          finalEpoch = v == JsonToken.VALUE_TRUE;
        }
        case "leaseId" -> {
          seen = once(seen, LEASE_ID);
          leaseId = text(p, v);
        }
        default -> skip(p, v);
      }
    }
    if ((seen & REQUIRED) != REQUIRED) {
      throw Unusual.INSTANCE;
    }
    return new EpochReport(
        schemaVersion,
        studyId,
        trialId,
        attempt,
        epoch,
        metrics,
        cost,
        workerId,
        checkpointUri,
        finalEpoch,
        leaseId);
  }

  private static Metrics metrics(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw Unusual.INSTANCE;
    }
    int seen = 0;
    Double valAccuracy = null;
    Double valLoss = null;
    Double trainLoss = null;
    Double testAccuracy = null;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw Unusual.INSTANCE;
      }
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "valAccuracy" -> {
          seen = once(seen, 1);
          valAccuracy = nullableDouble(p, v);
        }
        case "valLoss" -> {
          seen = once(seen, 2);
          valLoss = nullableDouble(p, v);
        }
        case "trainLoss" -> {
          seen = once(seen, 4);
          trainLoss = nullableDouble(p, v);
        }
        case "testAccuracy" -> {
          seen = once(seen, 8);
          testAccuracy = nullableDouble(p, v);
        }
        default -> skip(p, v);
      }
    }
    return new Metrics(valAccuracy, valLoss, trainLoss, testAccuracy);
  }

  private static Cost cost(JsonParser p, JsonToken start) throws IOException {
    if (start != JsonToken.START_OBJECT) {
      throw Unusual.INSTANCE;
    }
    int seen = 0;
    long forwardPasses = 0;
    long backwardPasses = 0;
    long examplesBackward = 0;
    double samStepFraction = 0;
    double wallSeconds = 0;
    double sgdEpochEquivalents = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) {
        throw Unusual.INSTANCE;
      }
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "forwardPasses" -> {
          seen = once(seen, 1);
          forwardPasses = longValue(p, v);
        }
        case "backwardPasses" -> {
          seen = once(seen, 2);
          backwardPasses = longValue(p, v);
        }
        case "examplesBackward" -> {
          seen = once(seen, 4);
          examplesBackward = longValue(p, v);
        }
        case "samStepFraction" -> {
          seen = once(seen, 8);
          samStepFraction = doubleValue(p, v);
        }
        case "wallSeconds" -> {
          seen = once(seen, 16);
          wallSeconds = doubleValue(p, v);
        }
        case "sgdEpochEquivalents" -> {
          seen = once(seen, 32);
          sgdEpochEquivalents = doubleValue(p, v);
        }
        default -> skip(p, v);
      }
    }
    if (seen != 63) {
      throw Unusual.INSTANCE;
    }
    return new Cost(
        forwardPasses,
        backwardPasses,
        examplesBackward,
        samStepFraction,
        wallSeconds,
        sgdEpochEquivalents);
  }

  private static int once(int seen, int field) {
    if ((seen & field) != 0) {
      throw Unusual.INSTANCE;
    }
    return seen | field;
  }

  private static void skip(JsonParser p, JsonToken v) throws IOException {
    if (v == null) {
      throw Unusual.INSTANCE;
    }
    p.skipChildren();
  }

  private static String text(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Unusual.INSTANCE;
  }

  private static int intValue(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      throw Unusual.INSTANCE;
    }
    return p.getIntValue();
  }

  private static long longValue(JsonParser p, JsonToken v) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw Unusual.INSTANCE;
    }
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw Unusual.INSTANCE;
    }
    return p.getLongValue();
  }

  /** A JSON number as a double: a float, or an integer within a long (as the one codec reads). */
  private static double doubleValue(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return longValue(p, v);
    }
    throw Unusual.INSTANCE;
  }

  private static Double nullableDouble(JsonParser p, JsonToken v) throws IOException {
    return v == JsonToken.VALUE_NULL ? null : doubleValue(p, v);
  }
}
