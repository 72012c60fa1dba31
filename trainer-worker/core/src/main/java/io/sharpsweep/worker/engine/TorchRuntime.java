package io.sharpsweep.worker.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine the way the worker needs it: offline (the CPU natives come from the
 * Maven artifact; nothing is downloaded), one inter-op thread and {@code intraOpThreads} intra-op
 * threads (DJL's default thread counts make steps several times slower on a machine with few cores;
 * trainer-worker/README.md, Threads). The thread counts are system properties the engine reads when
 * it loads, so this must run before anything touches DJL; the intra-op count is also set through
 * JNI in case the engine was loaded earlier.
 */
public final class TorchRuntime {
  public static final String ENGINE = "PyTorch";
  private static Engine engine;

  private TorchRuntime() {}

  /**
   * Loads the engine (once) with {@code intraOpThreads} intra-op threads; later calls only adjust
   * that count.
   */
  public static synchronized Engine initialise(int intraOpThreads) {
    if (intraOpThreads <= 0) {
      throw new IllegalArgumentException("intra-op threads must be > 0, got " + intraOpThreads);
    }
    if (engine == null) {
      System.setProperty("ai.djl.offline", "true");
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
      engine = Engine.getEngine(ENGINE);
    }
    if (JniUtils.getNumThreads() != intraOpThreads) {
      JniUtils.setNumThreads(intraOpThreads);
    }
    return engine;
  }

  /**
   * The engine, loaded with as many intra-op threads as processors if nobody configured it before.
   */
  public static synchronized Engine engine() {
    if (engine == null) {
      Integer configured = Integer.getInteger("ai.djl.pytorch.num_threads");
      return initialise(
          configured != null && configured > 0
              ? configured
              : Runtime.getRuntime().availableProcessors());
    }
    return engine;
  }

  /**
   * Turns PyTorch's gradient recording off for the calling thread. Grad mode is thread-local: the
   * engine switches it off only on the thread that loaded it, and a {@code GradientCollector}
   * restores the mode it found. On any other thread (a Quarkus worker) it would stay on, so
   * in-place weight updates outside a collector fail ("a leaf Variable that requires grad is being
   * used in an in-place operation") and evaluation would record graphs. Call it before training on
   * a thread.
   */
  public static void gradientRecordingOffOnThisThread() {
    engine();
    JniUtils.setGradMode(false);
  }

  public static int intraOpThreads() {
    engine();
    return JniUtils.getNumThreads();
  }

  public static int interOpThreads() {
    engine();
    return JniUtils.getNumInteropThreads();
  }
}
