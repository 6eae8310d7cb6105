package dev.kappa.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedKafkaIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @Test
  void shouldCommitTransactionsAndServeThemToReadCommittedConsumers() throws Exception {
    kafka.get().createTopic("transactional", 2, Map.of());
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "embedded-kafka-it",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactional", "k1", "committed"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("transactional", "k2", "aborted"));
      producer.abortTransaction();
    }

    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
      consumer.assign(
          List.of(new TopicPartition("transactional", 0), new TopicPartition("transactional", 1)));
      consumer.seekToBeginning(consumer.assignment());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    assertThat(values).containsExactly("committed");
  }

  @Test
  void shouldCreateTopicsWithTheirConfigurationAndToleratesExistingOnes() throws Exception {
    kafka.get().createTopic("retained", 3, Map.of("retention.ms", "-1"));
    kafka.get().createTopic("retained", 3, Map.of("retention.ms", "-1"));

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      var description =
          admin.describeTopics(List.of("retained")).allTopicNames().get().get("retained");
      assertThat(description.partitions()).hasSize(3);
      var resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "retained");
      var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
    }
  }

  @Test
  void shouldStartASecondIndependentNodeAndDeleteItsDirectoryOnClose() {
    EmbeddedKafka second = EmbeddedKafka.start();
    try {
      assertThat(second.bootstrapServers()).isNotEqualTo(kafka.bootstrapServers());
      assertThat(second.startupTime()).isPositive();
    } finally {
      second.close();
      second.close();
    }
  }

  private Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG,
        "it-" + UUID.randomUUID(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class);
  }
}
