package io.sharpsweep.sampler.gp;

/**
 * The hyper-parameters of the GP on standardised outputs: one lengthscale per input, the signal
 * variance of the kernel and the variance of the observation noise.
 */
public record GpHyperparameters(
    double[] lengthscales, double signalVariance, double noiseVariance) {

  public GpHyperparameters {
    lengthscales = lengthscales.clone();
  }

  @Override
  public double[] lengthscales() {
    return lengthscales.clone();
  }
}
