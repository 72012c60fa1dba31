package io.sharpsweep.worker.optim;

/**
 * Hyper-parameters of the PyTorch-semantics SGD baseline (docs/sam-variants.md#sgd).
 *
 * @param learningRate base learning rate η (the schedule scales it)
 * @param momentum μ in [0, 1); 0 turns the momentum buffer off
 * @param dampening τ in [0, 1); PyTorch applies it from the second update on
 * @param nesterov Nesterov momentum; needs μ &gt; 0 and τ = 0 (as in PyTorch)
 * @param weightDecay λ ≥ 0, added to the direction as {@code d = g + λ·w} (PyTorch placement)
 */
public record SgdSettings(
    double learningRate, double momentum, double dampening, boolean nesterov, double weightDecay) {

  public SgdSettings {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a finite number >= 0, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(dampening >= 0 && dampening < 1)) {
      throw new IllegalArgumentException("dampening must be in [0, 1), got " + dampening);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay must be a finite number >= 0, got " + weightDecay);
    }
    if (nesterov && (momentum <= 0 || dampening != 0)) {
      throw new IllegalArgumentException(
          "Nesterov momentum needs momentum > 0 and dampening 0 (momentum "
              + momentum
              + ", dampening "
              + dampening
              + ")");
    }
  }
}
