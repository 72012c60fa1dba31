package io.sharpsweep.sampler;

/** Builds a configured {@link Sampler} from the request's {@code sampler.options}. */
@FunctionalInterface
public interface SamplerFactory {

  /**
   * Reads the options it needs from {@code options}; problems are recorded there (not thrown), and
   * the registry reports them all, with any option the sampler did not read, as errors on {@code
   * sampler.options.<key>}.
   */
  Sampler create(SamplerOptions options);
}
