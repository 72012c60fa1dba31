package io.sharpsweep.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test's window on real topics: reads a topic from its beginning with a group of its own (so it
 * never steals records from the services under test) and writes raw records. Not thread-safe.
 */
public final class TopicProbe implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  public TopicProbe(String bootstrapServers, String... topics) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    if (topics.length > 0) {
      consumer.subscribe(List.of(topics));
    }
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /** Sends one record and waits for the broker's acknowledgement. */
  public void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send to " + topic + ": " + e.getMessage(), e);
    }
  }

  /**
   * Polls until at least {@code count} records seen so far match, or the timeout passes; returns
   * the matching records in arrival order (possibly fewer than {@code count}).
   */
  public List<ConsumerRecord<String, byte[]>> await(
      Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConsumerRecord<String, byte[]>> hits = matching(match);
    while (hits.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
      hits = matching(match);
    }
    return hits;
  }

  /**
   * Polls for {@code quiet} more and returns everything matching: to check that nothing more
   * arrives.
   */
  public List<ConsumerRecord<String, byte[]>> settle(
      Predicate<ConsumerRecord<String, byte[]>> match, Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
    }
    return matching(match);
  }

  private List<ConsumerRecord<String, byte[]>> matching(
      Predicate<ConsumerRecord<String, byte[]>> match) {
    return seen.stream().filter(match).toList();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    producer.close(Duration.ofSeconds(5));
  }
}
