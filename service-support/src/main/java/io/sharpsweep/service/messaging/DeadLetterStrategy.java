package io.sharpsweep.service.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The failure strategy {@code sharpsweep-dead-letter} of an incoming channel: a record the consumer
 * rejected is copied to the channel's {@code dead-letter-queue.topic} with the same key and bytes,
 * then acknowledged, so that no record can stop the channel. Its headers say why ({@value #REASON}:
 * the rejection's one-line reason) and where it came from ({@value #TOPIC}, {@value #PARTITION},
 * {@value #OFFSET}), with the payload's size ({@value #ORIGINAL_SIZE}) and SHA-256 ({@value
 * #ORIGINAL_SHA256}).
 *
 * <p>A copy the broker refuses as too large (a record near the broker's limit plus these headers)
 * is sent again with the payload cut to a prefix ({@value #TRUNCATED}: the bytes kept); as a last
 * resort the record's own headers and most of its key are left out too. Any other send failure (the
 * broker away) is retried with backoff until the copy is acknowledged: a rejected record is never
 * dropped and never acknowledged before its copy is in the dead-letter topic. The copying itself is
 * {@link DeadLetterWriter}'s, which a batch consumer uses directly ({@link #writer}).
 *
 * <p>The scheduler's decisions channel and the results-store's reports channel both name it; a
 * service without Kafka (the sampler) never loads it.
 */
@ApplicationScoped
@Identifier(DeadLetterStrategy.NAME)
public class DeadLetterStrategy implements KafkaFailureHandler.Factory {
  public static final String NAME = "sharpsweep-dead-letter";
  public static final String REASON = "dead-letter-reason";
  public static final String EXCEPTION = "dead-letter-exception-class-name";
  public static final String TOPIC = "dead-letter-topic";
  public static final String PARTITION = "dead-letter-partition";
  public static final String OFFSET = "dead-letter-offset";
  public static final String ORIGINAL_SIZE = "dead-letter-original-size";
  public static final String ORIGINAL_SHA256 = "dead-letter-original-sha256";
  public static final String TRUNCATED = "dead-letter-truncated";

  /** A copy whose payload, key and headers add up to more than this is cut when it is refused. */
  static final int MAX_COPY_BYTES = 1_000_000;

  /** Longest reason header, in characters. */
  static final int MAX_REASON = 1000;

  private final Map<String, DeadLetterWriter> writers = new ConcurrentHashMap<>();

  @Override
  public KafkaFailureHandler create(
      KafkaConnectorIncomingConfiguration config,
      Vertx vertx,
      KafkaConsumer<?, ?> consumer,
      BiConsumer<Throwable, Boolean> reportFailure) {
    String topic =
        config.getDeadLetterQueueTopic().orElse("dead-letter-topic-" + config.getChannel());
    Map<String, Object> p = new HashMap<>();
    consumer
        .configuration()
        .forEach(
            (k, v) -> {
              if (k.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                  || k.startsWith("security.")
                  || k.startsWith("sasl.")
                  || k.startsWith("ssl.")) {
                p.put(k, v);
              }
            });
    p.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sharpsweep-dead-letter-" + config.getChannel());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Not idempotent: a refused oversized batch must not poison the sequence of the next copies; a
    // copy sent twice is harmless in a dead-letter topic.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // The client lets any copy through; the topic's max.message.bytes decides what fits.
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(64 * 1024 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    String channel = config.getChannel();
    DeadLetterWriter writer = new DeadLetterWriter(channel, topic, new KafkaProducer<>(p));
    writers.put(channel, writer);
    return new Handler(writer, () -> writers.remove(channel, writer));
  }

  /**
   * The writer of the channel's dead letters, created with the channel's failure handler; empty
   * until the channel started. A consumer that takes records in batches dead-letters its rejected
   * records through it, one by one, and acknowledges the batch itself.
   */
  public Optional<DeadLetterWriter> writer(String channel) {
    return Optional.ofNullable(writers.get(channel));
  }

  /** Dead-letters a record the consumer rejected, then acknowledges it. */
  static final class Handler implements KafkaFailureHandler {
    private final DeadLetterWriter writer;
    private final Runnable onTerminate;

    Handler(DeadLetterWriter writer, Runnable onTerminate) {
      this.writer = writer;
      this.onTerminate = onTerminate;
    }

    @Override
    public <K, V> Uni<Void> handle(
        IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
      return Uni.createFrom()
          .completionStage(
              () ->
                  writer.write(
                      DeadLetterWriter.bytes(record.getKey()),
                      DeadLetterWriter.bytes(record.getPayload()),
                      record.getHeaders(),
                      record.getTopic(),
                      record.getPartition(),
                      record.getOffset(),
                      reason))
          .chain(copy -> Uni.createFrom().completionStage(record.ack()))
          .emitOn(record::runOnMessageContext);
    }

    @Override
    public void terminate() {
      onTerminate.run();
      writer.close();
    }
  }

  static String reasonLine(Throwable reason) {
    return DeadLetterWriter.reasonLine(reason);
  }

  static String sha256(byte[] bytes) {
    return DeadLetterWriter.sha256(bytes);
  }
}
