package io.sharpsweep.worker.engine;

import io.sharpsweep.protocol.knobs.KnobCatalogue;
import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.config.Knobs;
import io.sharpsweep.worker.optim.SgdSettings;
import java.util.Map;

/**
 * The knobs every variant shares, read from a trial's configuration with the defaults and ranges of
 * {@link KnobCatalogue}: {@code variant} (sgd), {@code lr} (0.05), {@code momentum} (0.9), {@code
 * weight-decay} (5e-4), {@code nesterov} (false), {@code batch-size} (128). Variant-specific knobs
 * ({@code rho}, …) are read by the variant ({@code io.sharpsweep.worker.sam.Variants}). A key that
 * is no training knob is refused.
 */
public record TrainingConfig(String variant, int batchSize, SgdSettings sgd) {
  public static final String DEFAULT_VARIANT = (String) KnobCatalogue.VARIANT.defaultValue();
  public static final double DEFAULT_LR = KnobCatalogue.LR.defaultNumber(null);
  public static final double DEFAULT_MOMENTUM = KnobCatalogue.MOMENTUM.defaultNumber(null);
  public static final double DEFAULT_WEIGHT_DECAY = KnobCatalogue.WEIGHT_DECAY.defaultNumber(null);
  public static final int DEFAULT_BATCH_SIZE = (int) KnobCatalogue.BATCH_SIZE.defaultNumber(null);

  public static TrainingConfig from(Map<String, Object> config) {
    return from(new Knobs(config));
  }

  /** The shared knobs of {@code k} (which records what it read). */
  public static TrainingConfig from(Knobs k) {
    k.rejectUnknown();
    String variant = k.string(KnobCatalogue.VARIANT);
    double lr = k.number(KnobCatalogue.LR);
    double momentum = k.number(KnobCatalogue.MOMENTUM);
    double weightDecay = k.number(KnobCatalogue.WEIGHT_DECAY);
    boolean nesterov = k.bool(KnobCatalogue.NESTEROV);
    int batchSize = k.integer(KnobCatalogue.BATCH_SIZE);
    if (nesterov && momentum == 0) {
      throw new InvalidConfigException("config.nesterov needs config.momentum > 0");
    }
    return new TrainingConfig(
        variant, batchSize, new SgdSettings(lr, momentum, 0.0, nesterov, weightDecay));
  }
}
