package io.sharpsweep.scheduler.messaging;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

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
 * dropped and never acknowledged before its copy is in the dead-letter topic.
 *
 * <p>The same strategy as the results-store's {@code io.sharpsweep.store.ingest.DeadLetterStrategy}
 * (the two services share no Quarkus module); a change to one belongs in both.
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

  private static final Logger LOG = Logger.getLogger(DeadLetterStrategy.class);

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
    return new Handler(config.getChannel(), topic, new KafkaProducer<>(p));
  }

  /** The copy of one rejected record, as sent; {@code keptBytes} is null when nothing was cut. */
  record Copy(ProducerRecord<byte[], byte[]> record, Integer keptBytes) {}

  static final class Handler implements KafkaFailureHandler {
    private final String channel;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    Handler(String channel, String topic, KafkaProducer<byte[], byte[]> producer) {
      this.channel = channel;
      this.topic = topic;
      this.producer = producer;
    }

    @Override
    public <K, V> Uni<Void> handle(
        IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
      byte[] key = bytes(record.getKey());
      byte[] value = bytes(record.getPayload());
      String line = reasonLine(reason);
      Headers ours = new RecordHeaders();
      add(ours, REASON, line);
      add(ours, EXCEPTION, reason.getClass().getName());
      add(ours, TOPIC, record.getTopic());
      add(ours, PARTITION, Integer.toString(record.getPartition()));
      add(ours, OFFSET, Long.toString(record.getOffset()));
      add(ours, ORIGINAL_SIZE, Integer.toString(value == null ? 0 : value.length));
      add(ours, ORIGINAL_SHA256, sha256(value == null ? new byte[0] : value));
      Headers theirs = record.getHeaders() == null ? new RecordHeaders() : record.getHeaders();
      String where = record.getTopic() + "-" + record.getPartition() + "@" + record.getOffset();
      return Uni.createFrom()
          .completionStage(() -> sendAll(where, key, value, ours, theirs))
          .onFailure()
          .invoke(
              e ->
                  LOG.warnf(
                      "cannot dead-letter %s to %s yet (%s), retrying", where, topic, e.toString()))
          .onFailure()
          .retry()
          .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
          .indefinitely()
          .invoke(
              copy ->
                  LOG.warnf(
                      "%s of channel %s dead-lettered to %s%s: %s",
                      where,
                      channel,
                      topic,
                      copy.keptBytes() == null
                          ? ""
                          : " (payload cut to "
                              + copy.keptBytes()
                              + " of "
                              + value.length
                              + " bytes)",
                      line))
          .chain(copy -> Uni.createFrom().completionStage(record.ack()))
          .emitOn(record::runOnMessageContext);
    }

    /** The full copy, then a cut one if the broker refuses it as too large. */
    private CompletableFuture<Copy> sendAll(
        String where, byte[] key, byte[] value, Headers ours, Headers theirs) {
      Copy full = copy(key, value, ours, theirs, null);
      return send(full)
          .exceptionallyCompose(
              e -> {
                if (!(unwrap(e) instanceof RecordTooLargeException)) {
                  return CompletableFuture.failedFuture(e);
                }
                int overhead = size(key) + size(ours) + size(theirs) + 1024;
                int keep = Math.max(0, Math.min(size(value), MAX_COPY_BYTES - overhead));
                LOG.infof(
                    "the copy of %s (%d bytes) is too large for %s: cutting its payload to %d bytes",
                    where, size(value), topic, keep);
                return send(copy(key, value, ours, theirs, keep));
              })
          .exceptionallyCompose(
              e -> {
                if (!(unwrap(e) instanceof RecordTooLargeException)) {
                  return CompletableFuture.failedFuture(e);
                }
                byte[] shortKey =
                    key == null ? null : Arrays.copyOf(key, Math.min(key.length, 200));
                int keep = Math.min(size(value), 64 * 1024);
                return send(copy(shortKey, value, ours, new RecordHeaders(), keep));
              });
    }

    private Copy copy(byte[] key, byte[] value, Headers ours, Headers theirs, Integer keep) {
      Headers headers = new RecordHeaders();
      for (Header h : theirs) {
        headers.add(h);
      }
      for (Header h : ours) {
        headers.add(h);
      }
      byte[] payload = value;
      if (keep != null && value != null) {
        payload = Arrays.copyOf(value, keep);
        add(headers, TRUNCATED, Integer.toString(keep));
      }
      return new Copy(new ProducerRecord<>(topic, null, key, payload, headers), keep);
    }

    private CompletableFuture<Copy> send(Copy copy) {
      CompletableFuture<Copy> sent = new CompletableFuture<>();
      try {
        producer.send(
            copy.record(),
            (meta, error) -> {
              if (error != null) {
                sent.completeExceptionally(error);
              } else {
                sent.complete(copy);
              }
            });
      } catch (RuntimeException e) {
        sent.completeExceptionally(e);
      }
      return sent;
    }

    @Override
    public void terminate() {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * The reason as one line: the exception's message (its class when it has none), control
   * characters replaced by spaces, at most {@link #MAX_REASON} characters.
   */
  static String reasonLine(Throwable reason) {
    String text = reason.getMessage() == null ? reason.toString() : reason.getMessage();
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON));
    boolean space = false;
    for (int i = 0; i < text.length() && out.length() < MAX_REASON; i++) {
      char ch = text.charAt(i);
      if (Character.isISOControl(ch) || Character.isWhitespace(ch)) {
        if (!space && out.length() > 0) {
          out.append(' ');
        }
        space = true;
      } else {
        out.append(ch);
        space = false;
      }
    }
    return out.toString().strip();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static byte[] bytes(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof byte[] b) {
      return b;
    }
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int size(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static int size(Headers headers) {
    int n = 0;
    for (Header h : headers) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length) + 8;
    }
    return n;
  }

  private static void add(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
