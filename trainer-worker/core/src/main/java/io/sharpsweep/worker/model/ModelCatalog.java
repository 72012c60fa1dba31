package io.sharpsweep.worker.model;

import io.sharpsweep.protocol.study.TrainingCatalog;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The models this worker builds, by name. A name in {@code TrainingCatalog.MODELS} not here is "not
 * available yet".
 */
public final class ModelCatalog {
  private static final Map<String, ModelArchitecture> MODELS =
      List.<ModelArchitecture>of(
              new Mlp(),
              new CnnSmall(),
              new ResNet18(),
              new WideResNet(16, 4),
              new WideResNet(16, 8),
              new WideResNet(28, 10))
          .stream()
          .collect(Collectors.toUnmodifiableMap(ModelArchitecture::name, Function.identity()));

  private ModelCatalog() {}

  public static List<String> available() {
    return MODELS.keySet().stream().sorted().toList();
  }

  public static ModelArchitecture forName(String name) {
    ModelArchitecture model = MODELS.get(name);
    if (model != null) {
      return model;
    }
    if (TrainingCatalog.MODELS.contains(name)) {
      throw new ModelUnavailableException(
          "model '" + name + "' is not available in this worker (available: " + available() + ")");
    }
    throw new ModelUnavailableException(
        "model '" + name + "' is unknown (known: " + TrainingCatalog.MODELS + ")");
  }
}
