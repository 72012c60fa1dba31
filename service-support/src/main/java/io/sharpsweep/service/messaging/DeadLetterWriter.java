package io.sharpsweep.service.messaging;

import static io.sharpsweep.service.messaging.DeadLetterStrategy.EXCEPTION;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.MAX_COPY_BYTES;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.MAX_REASON;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.OFFSET;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.ORIGINAL_SHA256;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.ORIGINAL_SIZE;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.PARTITION;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.REASON;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.TOPIC;
import static io.sharpsweep.service.messaging.DeadLetterStrategy.TRUNCATED;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Copies one rejected record of a channel to its dead-letter topic, with the headers of {@link
 * DeadLetterStrategy}: the same key and bytes, the record's own headers, the reason, where it came
 * from, the payload's size and SHA-256. A copy the broker refuses as too large is sent again cut to
 * a prefix; any other failure is retried with backoff until the broker acknowledges the copy. Used
 * by the channel's failure handler (one nacked record) and by a batch consumer (each rejected
 * record of its batch, alone).
 */
public final class DeadLetterWriter {
  private static final Logger LOG = Logger.getLogger(DeadLetterWriter.class);

  private final String channel;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  DeadLetterWriter(String channel, String topic, KafkaProducer<byte[], byte[]> producer) {
    this.channel = channel;
    this.topic = topic;
    this.producer = producer;
  }

  public String topic() {
    return topic;
  }

  /** The copy of one rejected record, as sent; {@code keptBytes} is null when nothing was cut. */
  record Copy(ProducerRecord<byte[], byte[]> record, Integer keptBytes) {}

  /**
   * Sends the copy of a rejected record; completes once the broker acknowledged it (retrying with
   * backoff meanwhile), never exceptionally for a broker that is away.
   */
  public CompletionStage<Void> write(
      byte[] key,
      byte[] value,
      Headers recordHeaders,
      String recordTopic,
      int recordPartition,
      long recordOffset,
      Throwable reason) {
    String line = reasonLine(reason);
    Headers ours = new RecordHeaders();
    add(ours, REASON, line);
    add(ours, EXCEPTION, reason.getClass().getName());
    add(ours, TOPIC, recordTopic);
    add(ours, PARTITION, Integer.toString(recordPartition));
    add(ours, OFFSET, Long.toString(recordOffset));
    add(ours, ORIGINAL_SIZE, Integer.toString(value == null ? 0 : value.length));
    add(ours, ORIGINAL_SHA256, sha256(value == null ? new byte[0] : value));
    Headers theirs = recordHeaders == null ? new RecordHeaders() : recordHeaders;
    String where = recordTopic + "-" + recordPartition + "@" + recordOffset;
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
        .replaceWithVoid()
        .subscribeAsCompletionStage();
  }

  void close() {
    producer.close(Duration.ofSeconds(5));
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
              byte[] shortKey = key == null ? null : Arrays.copyOf(key, Math.min(key.length, 200));
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

  /**
   * The reason as one line: the exception's message (its class when it has none), control
   * characters replaced by spaces, at most {@link DeadLetterStrategy#MAX_REASON} characters.
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

  /** A record's key or payload as bytes: its bytes, or its text in UTF-8; null stays null. */
  public static byte[] bytes(Object o) {
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
