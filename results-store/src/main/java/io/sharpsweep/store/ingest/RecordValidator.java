package io.sharpsweep.store.ingest;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.MalformedRecordException;
import io.sharpsweep.protocol.messages.Cost;
import io.sharpsweep.protocol.messages.EpochReport;
import io.sharpsweep.protocol.messages.ReportMessage;
import io.sharpsweep.protocol.messages.TrialFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rules a decoded record must meet before it is stored. A record that breaks one is rejected
 * with a {@link MalformedRecordException} naming every broken field, which sends it to the
 * dead-letter topic.
 */
public final class RecordValidator {
  /** Longest id the schema stores ({@code VARCHAR(200)}). */
  static final int MAX_ID = 200;

  private RecordValidator() {}

  public static ReportMessage requireValid(ReportMessage message) {
    List<FieldError> errors = new ArrayList<>();
    id("studyId", message.studyId(), errors);
    id("trialId", message.trialId(), errors);
    if (message.attempt() < 1) {
      errors.add(new FieldError("attempt", "must be at least 1, got " + message.attempt()));
    }
    if (message instanceof EpochReport r) {
      if (r.epoch() < 1) {
        errors.add(
            new FieldError(
                "epoch", "must be at least 1 (epochs are numbered from 1), got " + r.epoch()));
      }
      if (r.metrics() == null) {
        errors.add(new FieldError("metrics", "is required"));
      }
      checkCost(r.cost(), errors);
    } else if (message instanceof TrialFailed f) {
      if (f.fromEpoch() < 0) {
        errors.add(new FieldError("fromEpoch", "must be at least 0, got " + f.fromEpoch()));
      }
    }
    return reject(message, errors);
  }

  private static void checkCost(Cost cost, List<FieldError> errors) {
    if (cost == null) {
      errors.add(new FieldError("cost", "is required"));
      return;
    }
    if (cost.forwardPasses() < 0 || cost.backwardPasses() < 0 || cost.examplesBackward() < 0) {
      errors.add(new FieldError("cost", "pass and example counts must not be negative"));
    }
    if (!(cost.sgdEpochEquivalents() >= 0) || !(cost.wallSeconds() >= 0)) {
      errors.add(
          new FieldError(
              "cost", "sgdEpochEquivalents and wallSeconds must be non-negative numbers"));
    }
  }

  private static void id(String field, String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "is required"));
    } else if (value.length() > MAX_ID) {
      errors.add(new FieldError(field, "must be at most " + MAX_ID + " characters"));
    }
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
