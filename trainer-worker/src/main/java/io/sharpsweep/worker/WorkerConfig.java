package io.sharpsweep.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The trainer-worker's settings ({@code sharpsweep.worker.*}); README.md lists them with their
 * defaults.
 */
@ConfigMapping(prefix = "sharpsweep.worker")
public interface WorkerConfig {

  /** Written into every report; default {@code <hostname>-<pid>}. */
  Optional<String> id();

  /** PyTorch intra-op threads; default: the available processors. Inter-op threads are always 1. */
  OptionalInt threads();

  /** Root of the checkpoint tree, shared by all workers of a study. */
  @WithDefault("${java.io.tmpdir}/sharpsweep/checkpoints")
  String checkpointDir();

  /** Directory of the Fashion-MNIST IDX files (plain or .gz) when a dataset spec gives no path. */
  @WithDefault("/usr/share/datasets/fashion-mnist")
  String fashionMnistDir();

  /** Directory of the CIFAR-10 binary batches when a dataset spec gives no path. */
  @WithDefault("/usr/share/datasets/cifar10")
  String cifar10Dir();

  /** Directory of the CIFAR-100 binary files when a dataset spec gives no path. */
  @WithDefault("/usr/share/datasets/cifar100")
  String cifar100Dir();

  /** Batch size of validation/test evaluation. */
  @WithDefault("1000")
  int evalBatchSize();

  /** After a segment, delete the tensors of its intermediate epochs (their reports stay). */
  @WithDefault("true")
  boolean pruneIntermediateCheckpoints();

  /** How long to wait for the broker to acknowledge one report before the segment is given up. */
  @WithDefault("2M")
  Duration reportTimeout();
}
