package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.Metrics;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.SchemaVersion;
import io.sharpsweep.protocol.messages.TrialFailed;
import io.sharpsweep.protocol.study.StudySpecValidator;
import io.sharpsweep.protocol.study.TrialIds;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The contract a decoded record must meet before it has any effect (the rules against the store's
 * state come after, in {@link ReportIngestion}). A record that breaks a rule is rejected with a
 * {@link MalformedRecordException} naming every broken field, which sends it to the dead-letter
 * topic. Every rule is listed in the module's README ("Record rules").
 */
public final class RecordValidator {
  /** Longest id the schema stores ({@code VARCHAR(200)}). */
  static final int MAX_ID = TrialIds.MAX_ID;

  /**
   * The highest attempt: {@code budget.maxAttempts} is at most 100 ({@link StudySpecValidator}).
   */
  static final int MAX_ATTEMPT = 100;

  /** The highest epoch: {@code scheduler.maxEpochs} is at most {@link StudySpecValidator}'s. */
  static final int MAX_EPOCH = StudySpecValidator.MAX_EPOCHS;

  /**
   * The largest loss taken: any finite one. A diverging trial may report a huge but finite loss
   * before its worker fails it, and that report is a real measurement: refusing it would leave its
   * segment unconfirmed and trained again, forever.
   */
  static final double MAX_LOSS = Double.MAX_VALUE;

  /** The longest wall-clock time a trial may have cost: about three years. */
  static final double MAX_WALL_SECONDS = 1e8;

  /**
   * The most SGD-epoch equivalents one epoch may cost: an SGD epoch is 1.0, a SAM epoch about 2.0;
   * the cost is cumulative, so a report may hold at most this many times its epoch.
   */
  static final double MAX_SGD_EPOCHS_PER_EPOCH = 100;

  /** Longest worker id, lease id or checkpoint URI kept. */
  static final int MAX_TEXT = 2000;

  private RecordValidator() {}

  public static ReportMessage requireValid(ReportMessage message) {
    List<FieldError> errors = new ArrayList<>();
    schemaVersion(schemaVersionOf(message), errors);
    boolean studyOk = studyId(message.studyId(), errors);
    trialId(studyOk ? message.studyId() : null, message.trialId(), errors);
    if (message.attempt() < 1) {
      errors.add(new FieldError("attempt", "must be at least 1, got " + message.attempt()));
    } else if (message.attempt() > MAX_ATTEMPT) {
      errors.add(
          new FieldError(
              "attempt",
              "must be at most "
                  + MAX_ATTEMPT
                  + " (budget.maxAttempts), got "
                  + message.attempt()));
    }
    if (message instanceof EpochReport r) {
      if (r.epoch() < 1) {
        errors.add(
            new FieldError(
                "epoch", "must be at least 1 (epochs are numbered from 1), got " + r.epoch()));
      } else if (r.epoch() > MAX_EPOCH) {
        errors.add(
            new FieldError(
                "epoch",
                "must be at most " + MAX_EPOCH + " (scheduler.maxEpochs), got " + r.epoch()));
      }
      checkMetrics(r.metrics(), errors);
      checkCost(r.cost(), Math.max(1, r.epoch()), errors);
      text("workerId", r.workerId(), errors);
      text("checkpointUri", r.checkpointUri(), errors);
      text("leaseId", r.leaseId(), errors);
    } else if (message instanceof TrialFailed f) {
      if (f.fromEpoch() < 0) {
        errors.add(new FieldError("fromEpoch", "must be at least 0, got " + f.fromEpoch()));
      } else if (f.fromEpoch() > MAX_EPOCH) {
        errors.add(
            new FieldError(
                "fromEpoch",
                "must be at most " + MAX_EPOCH + " (scheduler.maxEpochs), got " + f.fromEpoch()));
      }
      text("workerId", f.workerId(), errors);
    }
    return reject(message, errors);
  }

  private static int schemaVersionOf(ReportMessage message) {
    return message instanceof EpochReport r
        ? r.schemaVersion()
        : ((TrialFailed) message).schemaVersion();
  }

  private static void schemaVersion(int version, List<FieldError> errors) {
    if (version < 1 || version > SchemaVersion.CURRENT) {
      errors.add(
          new FieldError(
              "schemaVersion",
              "must be "
                  + (SchemaVersion.CURRENT == 1 ? "1" : "1 to " + SchemaVersion.CURRENT)
                  + " (the versions this store reads), got "
                  + version));
    }
  }

  private static void checkMetrics(Metrics m, List<FieldError> errors) {
    if (m == null) {
      errors.add(new FieldError("metrics", "is required"));
      return;
    }
    fraction("metrics.valAccuracy", m.valAccuracy(), errors);
    fraction("metrics.testAccuracy", m.testAccuracy(), errors);
    loss("metrics.valLoss", m.valLoss(), errors);
    loss("metrics.trainLoss", m.trainLoss(), errors);
  }

  private static void checkCost(Cost cost, int epoch, List<FieldError> errors) {
    if (cost == null) {
      errors.add(new FieldError("cost", "is required"));
      return;
    }
    count("cost.forwardPasses", cost.forwardPasses(), errors);
    count("cost.backwardPasses", cost.backwardPasses(), errors);
    count("cost.examplesBackward", cost.examplesBackward(), errors);
    fraction("cost.samStepFraction", cost.samStepFraction(), errors);
    range("cost.wallSeconds", cost.wallSeconds(), MAX_WALL_SECONDS, errors);
    range(
        "cost.sgdEpochEquivalents",
        cost.sgdEpochEquivalents(),
        MAX_SGD_EPOCHS_PER_EPOCH * epoch,
        errors);
  }

  private static void count(String field, long value, List<FieldError> errors) {
    if (value < 0) {
      errors.add(new FieldError(field, "must not be negative, got " + value));
    }
  }

  private static void fraction(String field, Double value, List<FieldError> errors) {
    if (value != null && !(value >= 0 && value <= 1)) {
      errors.add(new FieldError(field, "must be a number in [0, 1], got " + value));
    }
  }

  private static void loss(String field, Double value, List<FieldError> errors) {
    if (value != null && !(value >= 0 && value <= MAX_LOSS)) {
      errors.add(new FieldError(field, "must be a finite number >= 0, got " + value));
    }
  }

  private static void range(String field, double value, double max, List<FieldError> errors) {
    if (!(value >= 0 && value <= max)) {
      errors.add(
          new FieldError(field, "must be a finite number in [0, " + max + "], got " + value));
    }
  }

  private static boolean studyId(String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(new FieldError("studyId", "is required"));
      return false;
    }
    if (!TrialIds.isStudyId(value)) {
      errors.add(new FieldError("studyId", TrialIds.STUDY_ID_RULE + ", got " + quote(value)));
      return false;
    }
    return true;
  }

  private static void trialId(String studyId, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(new FieldError("trialId", "is required"));
    } else if (value.length() > MAX_ID) {
      errors.add(new FieldError("trialId", "must be at most " + MAX_ID + " characters"));
    } else if (studyId != null && !TrialIds.isTrialIdOf(studyId, value)) {
      errors.add(
          new FieldError(
              "trialId",
              "must be the studyId followed by -t and the trial number ("
                  + TrialIds.trialId(studyId, 0)
                  + "), got "
                  + quote(value)));
    } else if (studyId == null && hasControl(value)) {
      errors.add(new FieldError("trialId", "must not hold control characters"));
    }
  }

  /** An optional free-text field: at most {@link #MAX_TEXT} characters, no control characters. */
  private static void text(String field, String value, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_TEXT) {
      errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
    } else if (hasControl(value)) {
      errors.add(new FieldError(field, "must not hold control characters"));
    }
  }

  private static boolean hasControl(String value) {
    // every control character is a single UTF-16 unit, so no code point needs decoding
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A value for a reason: quoted, at most 64 characters, control and non-ASCII characters escaped,
   * so that the reason stays one printable line.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(value.length(), 64);
    for (int i = 0; i < shown; i++) {
      char ch = value.charAt(i);
      if (ch < 0x20 || ch > 0x7e || ch == '\'' || ch == '\\') {
        out.append(String.format("\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    if (value.length() > shown) {
      out.append("…(").append(value.length()).append(" characters)");
    }
    return out.append('\'').toString();
  }

  private static <T> T reject(T record, List<FieldError> errors) {
    if (errors.isEmpty()) {
      return record;
    }
    String rules = errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    throw new MalformedRecordException(
        "invalid " + record.getClass().getSimpleName() + ": " + rules);
  }
}
