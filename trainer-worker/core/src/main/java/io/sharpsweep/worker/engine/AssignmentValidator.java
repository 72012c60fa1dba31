package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.messages.SegmentAssignment;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that an assignment is a well-formed order (ids, epoch range, dataset and model present).
 * What it asks for — a model, a variant, a dataset the worker may not have — is checked by the
 * trainer. Either way the worker fails the lease with the message.
 */
public final class AssignmentValidator {
  private AssignmentValidator() {}

  public static void validate(SegmentAssignment a) {
    List<String> errors = new ArrayList<>();
    if (blank(a.studyId())) {
      errors.add("studyId is missing");
    }
    if (blank(a.trialId())) {
      errors.add("trialId is missing");
    }
    if (a.attempt() < 0) {
      errors.add("attempt must be >= 0, got " + a.attempt());
    }
    if (a.fromEpoch() < 0) {
      errors.add("fromEpoch must be >= 0, got " + a.fromEpoch());
    }
    if (a.toEpoch() <= a.fromEpoch()) {
      errors.add("toEpoch must be > fromEpoch, got " + a.fromEpoch() + ".." + a.toEpoch());
    }
    if (a.maxEpochs() < a.toEpoch()) {
      errors.add(
          "maxEpochs must be >= toEpoch, got maxEpochs "
              + a.maxEpochs()
              + " and toEpoch "
              + a.toEpoch());
    }
    if (a.dataset() == null || blank(a.dataset().name())) {
      errors.add("dataset.name is missing");
    }
    if (blank(a.model())) {
      errors.add("model is missing");
    }
    if (!errors.isEmpty()) {
      throw new InvalidAssignmentException(
          "invalid SegmentAssignment: " + String.join("; ", errors));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
