package io.sharpsweep.protocol.study;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names shared by the CLI, study specs and reports: datasets, models, optimizer variants, their
 * knobs, and the metrics an objective can name. One list, so a typo in a study is caught when it is
 * created, not when a worker meets it.
 */
public final class TrainingCatalog {
  public static final List<String> DATASETS =
      List.of("fashion-mnist", "cifar10", "cifar100", "synthetic");

  public static final List<String> MODELS =
      List.of("mlp", "cnn-small", "resnet18", "wrn-16-4", "wrn-16-8", "wrn-28-10");

  public static final List<String> VARIANTS =
      List.of(
          "sgd", "sam", "asam", "esam", "ae-sam", "looksam", "ae-looksam", "msam", "rst", "sam-k");

  /** Knob name → what it is (shown in errors and the README). */
  public static final Map<String, String> KNOBS =
      Map.ofEntries(
          Map.entry("variant", "optimizer variant, one of " + VARIANTS),
          Map.entry("lr", "learning rate"),
          Map.entry("momentum", "SGD momentum"),
          Map.entry("weight-decay", "L2 weight decay (PyTorch placement)"),
          Map.entry("nesterov", "Nesterov momentum (true/false)"),
          Map.entry("batch-size", "mini-batch size"),
          Map.entry("rho", "SAM neighbourhood radius"),
          Map.entry("beta", "ESAM weight keep probability (SWP)"),
          Map.entry("gamma", "ESAM data keep fraction (SDS)"),
          Map.entry("delta", "AE-SAM moving-average forgetting rate"),
          Map.entry("lambda1", "AE-SAM threshold at the end of training"),
          Map.entry("lambda2", "AE-SAM threshold at the start of training"),
          Map.entry("k", "LookSAM / SAM-k period"),
          Map.entry("alpha", "LookSAM reuse weight"),
          Map.entry("monge-alpha", "M-SAM metric scale"),
          Map.entry("eta", "ASAM offset"),
          Map.entry("p", "RST probability of a SAM step"));

  /** Metrics an objective may name, with the record field they are read from. */
  public static final Set<String> METRICS =
      Set.of(
          "val_accuracy",
          "val_loss",
          "train_loss",
          "test_accuracy",
          "sgd_epoch_equivalents",
          "wall_seconds");

  private TrainingCatalog() {}
}
