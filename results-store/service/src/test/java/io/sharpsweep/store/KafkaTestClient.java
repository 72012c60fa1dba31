package io.sharpsweep.store;

import io.sharpsweep.kafka.KafkaBroker;
import io.sharpsweep.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain Kafka clients against the test broker: what the scheduler and workers would send, and tails
 * of the store's output.
 */
final class KafkaTestClient implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  KafkaTestClient() {
    bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    // One partition each (the broker's default too), so that records sent in order are consumed in
    // order.
    KafkaBroker.createTopics(
        bootstrap, Map.of(Topics.REPORTS, 1, Topics.DECISIONS, 1, Topics.DEAD_LETTER, 1));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producer = new KafkaProducer<>(p);
  }

  /**
   * Sends one record and waits for the broker's acknowledgement, so records of one call sequence
   * keep their order.
   */
  void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot send to " + topic, e.getCause());
    }
  }

  /** Reads a topic from its beginning, accumulating what each {@link Tail#poll()} brings. */
  Tail tail(String topic) {
    return new Tail(bootstrap, topic);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  static final class Tail implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    private Tail(String bootstrap, String topic) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "store-test-" + UUID.randomUUID());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
      // Assigned, not subscribed: no group join to wait for.
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more short poll. */
    List<ConsumerRecord<String, byte[]>> poll() {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      return List.copyOf(records);
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(2));
    }
  }
}
