package io.sharpsweep.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's broker as its own process: {@code java -cp …
 * io.sharpsweep.kafka.KafkaBrokerMain DIR PORT CONTROLLER_PORT}. Prints {@code READY
 * 127.0.0.1:PORT} once serving and stops cleanly on SIGTERM.
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: KafkaBrokerMain DATA_DIR BROKER_PORT CONTROLLER_PORT");
      System.exit(2);
    }
    KafkaBroker broker =
        KafkaBroker.start(
            Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), false);
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
