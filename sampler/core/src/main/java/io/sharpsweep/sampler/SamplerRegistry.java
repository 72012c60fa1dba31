package io.sharpsweep.sampler;

import io.sharpsweep.protocol.FieldError;
import io.sharpsweep.protocol.ValidationException;
import io.sharpsweep.protocol.study.SamplerSpec;
import io.sharpsweep.sampler.gp.GpSampler;
import io.sharpsweep.sampler.moo.ParEgoSampler;
import io.sharpsweep.sampler.qmc.SobolSampler;
import io.sharpsweep.sampler.random.RandomSampler;
import io.sharpsweep.sampler.tpe.TpeSampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The samplers this service offers, by the name a request gives in {@code sampler.type}. */
public final class SamplerRegistry {
  private final Map<String, SamplerFactory> factories = new TreeMap<>();

  /** Every sampler SharpSweep ships. A new sampler is one line here. */
  public static SamplerRegistry standard() {
    return new SamplerRegistry()
        .register(RandomSampler.TYPE, RandomSampler::fromOptions)
        .register(SobolSampler.TYPE, SobolSampler::fromOptions)
        .register(TpeSampler.TYPE, TpeSampler::fromOptions)
        .register(TpeSampler.MOTPE_TYPE, TpeSampler::fromOptions)
        .register(GpSampler.TYPE, GpSampler::fromOptions)
        .register(ParEgoSampler.TYPE, ParEgoSampler::fromOptions);
  }

  public SamplerRegistry register(String type, SamplerFactory factory) {
    if (factories.putIfAbsent(type, factory) != null) {
      throw new IllegalArgumentException("sampler type '" + type + "' is registered twice");
    }
    return this;
  }

  /** The registered type names, sorted. */
  public Set<String> types() {
    return Collections.unmodifiableSet(factories.keySet());
  }

  public boolean contains(String type) {
    return type != null && factories.containsKey(type);
  }

  /**
   * The sampler a request asks for, configured with its options.
   *
   * @throws ValidationException on {@code sampler.type} for an unknown type, on {@code
   *     sampler.options.<key>} for each bad or unknown option
   */
  public Sampler create(SamplerSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Sampler sampler = create(spec, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return sampler;
  }

  /**
   * As {@link #create(SamplerSpec)}, adding problems to {@code errors}; null when there are any.
   */
  Sampler create(SamplerSpec spec, List<FieldError> errors) {
    if (spec == null || spec.type() == null || spec.type().isBlank()) {
      errors.add(new FieldError("sampler.type", "is required: one of " + types()));
      return null;
    }
    SamplerFactory factory = factories.get(spec.type());
    if (factory == null) {
      errors.add(
          new FieldError(
              "sampler.type", "unknown sampler '" + spec.type() + "': one of " + types()));
      return null;
    }
    SamplerOptions options = new SamplerOptions(spec.options());
    Sampler sampler = factory.create(options);
    List<FieldError> optionErrors = options.errors(spec.type());
    errors.addAll(optionErrors);
    return optionErrors.isEmpty() ? sampler : null;
  }
}
