package io.sharpsweep.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's broker as its own process: {@code java -cp …
 * io.sharpsweep.kafka.KafkaBrokerMain DIR PORT CONTROLLER_PORT}. Prints {@code READY
 * 127.0.0.1:PORT} once serving and stops cleanly on SIGTERM. {@code DIR} keeps the broker's data
 * across runs (formatted on the first start only, {@link KafkaBroker#start}).
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: KafkaBrokerMain DATA_DIR BROKER_PORT CONTROLLER_PORT");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    boolean reused = KafkaBroker.clusterId(dir).isPresent();
    long t0 = System.nanoTime();
    KafkaBroker broker =
        KafkaBroker.start(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]), false);
    System.out.println(
        (reused ? "restarted on the data in " : "formatted a new log in ")
            + dir
            + " (cluster "
            + KafkaBroker.clusterId(dir).orElse("?")
            + ") in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "kafka-broker-shutdown"));
    System.out.println("READY " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
