package io.sharpsweep.worker.engine;

import io.sharpsweep.worker.config.InvalidConfigException;
import io.sharpsweep.worker.config.Knobs;
import io.sharpsweep.worker.optim.SgdSettings;
import java.util.Map;

/**
 * The knobs every variant shares, read from a trial's configuration with the worker's defaults:
 * {@code variant} (sgd), {@code lr} (0.05), {@code momentum} (0.9), {@code weight-decay} (5e-4),
 * {@code nesterov} (false), {@code batch-size} (128). Variant-specific knobs ({@code rho}, …) are
 * read by the variant ({@code io.sharpsweep.worker.sam.Variants}). A key that is no training knob
 * is refused.
 */
public record TrainingConfig(String variant, int batchSize, SgdSettings sgd) {
  public static final String DEFAULT_VARIANT = "sgd";
  public static final double DEFAULT_LR = 0.05;
  public static final double DEFAULT_MOMENTUM = 0.9;
  public static final double DEFAULT_WEIGHT_DECAY = 5e-4;
  public static final int DEFAULT_BATCH_SIZE = 128;

  public static TrainingConfig from(Map<String, Object> config) {
    Knobs k = new Knobs(config);
    k.rejectUnknown();
    String variant = k.string("variant", DEFAULT_VARIANT);
    double lr = k.number("lr", DEFAULT_LR, 0, false, 100);
    double momentum = k.number("momentum", DEFAULT_MOMENTUM, 0, true, 0.999999);
    double weightDecay = k.number("weight-decay", DEFAULT_WEIGHT_DECAY, 0, true, 1);
    boolean nesterov = k.bool("nesterov", false);
    int batchSize = k.integer("batch-size", DEFAULT_BATCH_SIZE, 1, 1 << 16);
    if (nesterov && momentum == 0) {
      throw new InvalidConfigException("config.nesterov needs config.momentum > 0");
    }
    return new TrainingConfig(
        variant, batchSize, new SgdSettings(lr, momentum, 0.0, nesterov, weightDecay));
  }
}
