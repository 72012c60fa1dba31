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

  /**
   * How long to wait for the broker to acknowledge one send of a report; a report that times out is
   * sent again (duplicates are absorbed downstream) for as long as the lease is held.
   */
  @WithDefault("2M")
  Duration reportTimeout();

  /** The results-store's control API, where segments are leased. */
  @WithDefault("http://127.0.0.1:8082")
  String controlUrl();

  /** Long-poll wait of one lease request (the store caps it at 30 s). */
  @WithDefault("10s")
  Duration leaseWait();

  /**
   * Lease ahead: once the current segment's expected remaining time (its epochs left times the mean
   * epoch time measured) falls below this, ask the store for the next segment so that it starts the
   * moment the current one ends (docs/control-plane.md, "Lease ahead"). 0 disables.
   */
  @WithDefault("5s")
  Duration leaseAhead();

  /** Timeout of one control call (plus the lease wait for a lease request). */
  @WithDefault("10s")
  Duration controlTimeout();

  /**
   * On shutdown: the longest the worker takes to stop its segment at a batch boundary and hand it
   * back. Kubernetes' {@code terminationGracePeriodSeconds} must exceed it.
   */
  @WithDefault("20s")
  Duration shutdownGrace();
}
