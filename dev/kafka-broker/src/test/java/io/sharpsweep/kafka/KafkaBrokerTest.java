package io.sharpsweep.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void aRecordProducedIsConsumedByAGroupOnAFreshBroker() {
    try (KafkaBroker broker = KafkaBroker.startEphemeral()) {
      broker.createTopics(Map.of("t", 3));
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k1", "v1"));
        producer.send(new ProducerRecord<>("t", "k2", "v2"));
        producer.flush();
      }
      List<String> got = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG, "g",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.size() < 2 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            got.add(r.key() + "=" + r.value());
          }
        }
      }
      assertThat(got).containsExactlyInAnyOrder("k1=v1", "k2=v2");
    }
  }

  @Test
  void createTopicsIsIdempotent() {
    try (KafkaBroker broker = KafkaBroker.startEphemeral()) {
      broker.createTopics(Map.of("a", 2));
      broker.createTopics(Map.of("a", 2, "b", 1));
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }
}
