package dev.kappa.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kappa.api.MeterReadings.Reading;
import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead letters over HTTP, end to end on a real broker: bad readings of the meters job land in its
 * dead-letter topic, are listed with where they came from and why, and are sent back, fixed, to the
 * source topic; each is counted once in the totals however often, and from however many instances
 * at once, it is re-driven.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLettersIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Readings READINGS = new Readings(400, 12, 11);
  private static final Duration TIMEOUT = ServicePair.TIMEOUT;
  private static final String LETTERS = "/jobs/meters/dead-letters";
  private static final String REDRIVE = "/admin/jobs/meters/dead-letters/redrive";
  private static final String TOPIC = "meters-v1-dead-letters";

  /** Two readings that fail validation, and what they should have been. */
  private static final Reading NEGATIVE =
      new Reading("m-001", "site-1", 1, -40, Readings.START.plusSeconds(65));

  private static final Reading NEGATIVE_FIXED = withBytes(NEGATIVE, 40);
  private static final Reading OTHER_NEGATIVE =
      new Reading("m-002", "site-2", 2, -7, Readings.START.plusSeconds(130));
  private static final Reading OTHER_NEGATIVE_FIXED = withBytes(OTHER_NEGATIVE, 7);

  /** A value that is not JSON, and one that is not even text. */
  private static final byte[] NOT_JSON = "not json".getBytes(UTF_8);

  private static final byte[] NOT_TEXT = {(byte) 0xc3, 0x28, 0x00, (byte) 0xff};

  private static ServicePair pair;
  private static ServiceInstance a;
  private static ServiceInstance b;

  /** Where each bad record went in the source topic, by a name for the test. */
  private static final Map<String, RecordMetadata> produced = new HashMap<>();

  @BeforeAll
  static void startAndSendBadReadings() throws Exception {
    pair = ServicePair.serving(kafka, "dead-letters", READINGS);
    a = pair.a();
    b = pair.b();
    byte[] negative = json(NEGATIVE);
    byte[] otherNegative = json(OTHER_NEGATIVE);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      produced.put("negative", send(producer, NEGATIVE.meter(), NEGATIVE.timestamp(), negative));
      produced.put(
          "other-negative",
          send(producer, OTHER_NEGATIVE.meter(), OTHER_NEGATIVE.timestamp(), otherNegative));
      produced.put("not-json", send(producer, "m-003", Readings.START.plusSeconds(10), NOT_JSON));
      produced.put("not-text", send(producer, "m-004", Readings.START.plusSeconds(20), NOT_TEXT));
    }
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  @Order(1)
  void shouldListEachBadReadingWithWhereItCameFromAndWhy() {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(a.get(LETTERS).json().get("letters")).hasSize(produced.size()));
    for (ServiceInstance asked : List.of(a, b)) {
      Reply reply = asked.get(LETTERS);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      JsonNode page = reply.json();
      assertThat(page.get("job").asText()).isEqualTo("meters");
      assertThat(page.get("version").asInt()).isEqualTo(1);
      assertThat(page.get("topic").asText()).isEqualTo(TOPIC);
      assertThat(page.get("total").asLong()).isEqualTo(4);
      assertThat(page.get("totalExact").asBoolean()).isTrue();

      JsonNode negative = letterFrom(page, produced.get("negative"));
      assertThat(negative.get("sourceTopic").asText()).isEqualTo("meter-readings");
      // The message of the validation's exception: the step and the reason it gave.
      assertThat(negative.get("reason").asText())
          .isEqualTo("Record rejected by 'valid-readings': negative bytes");
      assertThat(negative.get("key").asText()).isEqualTo("m-001");
      assertThat(negative.get("value").asText()).isEqualTo(new String(json(NEGATIVE), UTF_8));
      assertThat(negative.get("valueSize").asInt()).isEqualTo(json(NEGATIVE).length);
      assertThat(Instant.parse(negative.get("sourceTimestamp").asText()))
          .isEqualTo(NEGATIVE.timestamp());
      assertThat(negative.get("redriven").asBoolean()).isFalse();
      assertThat(letterFrom(page, produced.get("other-negative")).get("reason").asText())
          .isEqualTo("Record rejected by 'valid-readings': negative bytes");

      JsonNode notJson = letterFrom(page, produced.get("not-json"));
      assertThat(notJson.get("value").asText()).isEqualTo("not json");
      assertThat(notJson.get("exceptionClass").asText()).isNotBlank();
      assertThat(notJson.get("reason").asText()).isNotBlank().doesNotContain("valid-readings");
      JsonNode notText = letterFrom(page, produced.get("not-text"));
      assertThat(notText.get("value").isNull()).isTrue();
      assertThat(Base64.getDecoder().decode(notText.get("valueBase64").asText()))
          .isEqualTo(NOT_TEXT);

      // Newest first, by when each was dead-lettered.
      List<Instant> times = new ArrayList<>();
      page.get("letters")
          .forEach(letter -> times.add(Instant.parse(letter.get("timestamp").asText())));
      assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
    }
    assertThat(a.get(LETTERS + "?version=1&limit=2").json().get("letters")).hasSize(2);
  }

  @Test
  @Order(2)
  void shouldAnswerBadParametersWithProblemsThatSayWhatToSend() {
    Reply limit = a.get(LETTERS + "?limit=5000");
    assertThat(limit.status()).as(limit.toString()).isEqualTo(400);
    assertThat(limit.contentType()).startsWith("application/problem+json");
    assertThat(limit.json().get("detail").asText())
        .isEqualTo("Bad limit '5000': send a number of dead letters from 1 to 1000");
    Reply version = a.get(LETTERS + "?version=one");
    assertThat(version.status()).isEqualTo(400);
    assertThat(version.json().get("detail").asText())
        .isEqualTo("Bad version 'one': send a version number from 1, such as version=2");
    Reply unknown = a.get(LETTERS + "?version=9");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asText()).endsWith("/unknown-version");
    assertThat(a.get("/jobs/no-such-job/dead-letters").status()).isEqualTo(404);

    Reply empty = a.post(REDRIVE, "{\"version\":1,\"letters\":[]}", ServiceInstance.ADMIN_TOKEN);
    assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
    assertThat(empty.json().get("detail").asText()).contains("Name the dead letters to re-drive");
    Reply missing =
        a.post(
            REDRIVE,
            "{\"version\":1,\"letters\":[{\"partition\":0,\"offset\":999999}]}",
            ServiceInstance.ADMIN_TOKEN);
    assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
    assertThat(missing.json().get("detail").asText())
        .startsWith("No dead letter " + TOPIC + "-0@999999 of 'meters' v1: partition 0 holds");
    Reply noPartition =
        a.post(
            REDRIVE,
            "{\"version\":1,\"letters\":[{\"partition\":7,\"offset\":0}]}",
            ServiceInstance.ADMIN_TOKEN);
    assertThat(noPartition.status()).isEqualTo(400);
    assertThat(noPartition.json().get("detail").asText())
        .isEqualTo(
            "No dead letter "
                + TOPIC
                + "-7@0 of 'meters' v1: '"
                + TOPIC
                + "' has partitions 0 to 3");
  }

  @Test
  @Order(3)
  void shouldRefuseARedriveWithoutTheAdminRole() {
    JsonNode letter = letterFrom(a.get(LETTERS).json(), produced.get("negative"));
    String body = redriveBody(letter, NEGATIVE_FIXED);

    for (Reply refused :
        List.of(
            a.post(REDRIVE, body, null),
            b.post(REDRIVE, body, "not-the-token"),
            a.post(REDRIVE, body, ServiceInstance.PEER_TOKEN))) {
      assertThat(refused.status()).as(refused.toString()).isIn(401, 403);
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }
    assertThat(a.post(REDRIVE, body, null).status()).isEqualTo(401);
    assertThat(
            letterFrom(a.get(LETTERS).json(), produced.get("negative")).get("redriven").asBoolean())
        .isFalse();
  }

  @Test
  @Order(4)
  void shouldCountAFixedReadingOnceHoweverOftenItIsRedriven() throws Exception {
    JsonNode letter = letterFrom(a.get(LETTERS).json(), produced.get("negative"));
    String body = redriveBody(letter, NEGATIVE_FIXED);

    Reply first = a.post(REDRIVE, body, ServiceInstance.ADMIN_TOKEN);

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    JsonNode sent = first.json().get("sent");
    assertThat(sent).hasSize(1);
    assertThat(first.json().get("alreadySent")).isEmpty();
    assertThat(sent.get(0).get("partition").asInt()).isEqualTo(letter.get("partition").asInt());
    assertThat(sent.get(0).get("offset").asLong()).isEqualTo(letter.get("offset").asLong());
    assertThat(sent.get(0).get("topic").asText()).isEqualTo("meter-readings");
    // Back to the partition the reading came from.
    assertThat(sent.get(0).get("newPartition").asInt())
        .isEqualTo(produced.get("negative").partition());
    Total expected = READINGS.byMeter(0).getOrDefault("m-001", Total.NONE).add(NEGATIVE_FIXED);
    awaitTotal("m-001", expected);

    // Again, from either instance, and from both at once: sent before, nothing sent.
    Reply again = b.post(REDRIVE, body, ServiceInstance.ADMIN_TOKEN);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("sent")).isEmpty();
    assertThat(again.json().get("alreadySent")).hasSize(1);
    assertThat(again.json().get("alreadySent").get(0).get("newOffset").asLong())
        .isEqualTo(sent.get(0).get("newOffset").asLong());
    for (Reply reply : fromBothAtOnce(body)) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.json().get("sent")).isEmpty();
      assertThat(reply.json().get("alreadySent")).hasSize(1);
    }

    assertThat(redrivenRecords(idOf(letter))).hasSize(1);
    assertThat(
            letterFrom(b.get(LETTERS).json(), produced.get("negative")).get("redriven").asBoolean())
        .isTrue();
    awaitTotal("m-001", expected);
  }

  @Test
  @Order(5)
  void shouldSendALetterOnceWhenBothInstancesRedriveItAtOnce() throws Exception {
    JsonNode letter = letterFrom(a.get(LETTERS).json(), produced.get("other-negative"));
    String body = redriveBody(letter, OTHER_NEGATIVE_FIXED);

    List<Reply> replies = fromBothAtOnce(body);

    int sent = 0;
    for (Reply reply : replies) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      sent += reply.json().get("sent").size();
      assertThat(reply.json().get("sent").size() + reply.json().get("alreadySent").size())
          .isEqualTo(1);
    }
    assertThat(sent).as(replies.toString()).isEqualTo(1);
    List<ConsumerRecord<String, String>> records = redrivenRecords(idOf(letter));
    assertThat(records).hasSize(1);
    ConsumerRecord<String, String> record = records.get(0);
    assertThat(record.key()).isEqualTo("m-002");
    assertThat(record.value()).isEqualTo(new String(json(OTHER_NEGATIVE_FIXED), UTF_8));
    // The original event time, so that its window is still open.
    assertThat(record.timestamp()).isEqualTo(OTHER_NEGATIVE.timestamp().toEpochMilli());
    assertThat(record.partition()).isEqualTo(produced.get("other-negative").partition());
    awaitTotal(
        "m-002", READINGS.byMeter(0).getOrDefault("m-002", Total.NONE).add(OTHER_NEGATIVE_FIXED));
    assertThat(redrivenTotal()).isEqualTo(2.0);
  }

  @Test
  @Order(6)
  void shouldDeadLetterAgainALetterRedrivenUnfixed() {
    JsonNode letter = letterFrom(a.get(LETTERS).json(), produced.get("not-json"));
    ObjectNode body = JSON.createObjectNode().put("version", 1);
    body.putArray("letters")
        .addObject()
        .put("partition", letter.get("partition").asInt())
        .put("offset", letter.get("offset").asLong());

    Reply reply = a.post(REDRIVE, body.toString(), ServiceInstance.ADMIN_TOKEN);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode sent = reply.json().get("sent").get(0);
    // Still not JSON: it fails again, and its new dead letter is the newest.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              JsonNode newest = a.get(LETTERS).json().get("letters").get(0);
              assertThat(newest.get("sourceOffset").asLong())
                  .isEqualTo(sent.get("newOffset").asLong());
              assertThat(newest.get("sourcePartition").asInt())
                  .isEqualTo(sent.get("newPartition").asInt());
              assertThat(newest.get("value").asText()).isEqualTo("not json");
            });
    assertThat(a.get(LETTERS).json().get("total").asLong()).isEqualTo(5);
  }

  private static List<Reply> fromBothAtOnce(String body) {
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<Reply> fromA =
          CompletableFuture.supplyAsync(
              () -> a.post(REDRIVE, body, ServiceInstance.ADMIN_TOKEN), callers);
      CompletableFuture<Reply> fromB =
          CompletableFuture.supplyAsync(
              () -> b.post(REDRIVE, body, ServiceInstance.ADMIN_TOKEN), callers);
      return List.of(fromA.join(), fromB.join());
    } finally {
      callers.shutdownNow();
    }
  }

  private static void awaitTotal(String meter, Total expected) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              for (ServiceInstance asked : List.of(a, b)) {
                Reply reply = asked.get("/jobs/meters/tables/totals-by-meter/keys/" + meter);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                assertThat(ServingIT.totalOf(reply.json().get("value"))).isEqualTo(expected);
              }
            });
  }

  /** The records of the source topic, as committed, re-driven from the letter {@code id}. */
  private static List<ConsumerRecord<String, String>> redrivenRecords(String id) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(MeterReadings.READINGS.topic()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(100))) {
                  Header header = record.headers().lastHeader("kappa.redriven.from");
                  if (header != null && new String(header.value(), UTF_8).equals(id)) {
                    found.add(record);
                  }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
              });
    }
    return found;
  }

  /** The sum over both instances of the re-drive counter of the meters job's v1. */
  private static double redrivenTotal() {
    double total = 0;
    for (ServiceInstance instance : List.of(a, b)) {
      for (String line : instance.get("/prometheus").body().split("\n")) {
        if (line.startsWith("kappa_dead_letters_redriven_total{")
            && line.contains("job=\"meters\"")
            && line.contains("version=\"1\"")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return total;
  }

  private static JsonNode letterFrom(JsonNode page, RecordMetadata source) {
    List<JsonNode> matching = new ArrayList<>();
    page.get("letters")
        .forEach(
            letter -> {
              if (letter.get("sourcePartition").asInt() == source.partition()
                  && letter.get("sourceOffset").asLong() == source.offset()) {
                matching.add(letter);
              }
            });
    assertThat(matching).as("the letter of %s in %s", source, page).hasSize(1);
    return matching.get(0);
  }

  private static String idOf(JsonNode letter) {
    return TOPIC + "-" + letter.get("partition").asInt() + "@" + letter.get("offset").asLong();
  }

  private static String redriveBody(JsonNode letter, Reading fixed) {
    ObjectNode body = JSON.createObjectNode().put("version", 1);
    ArrayNode letters = body.putArray("letters");
    letters
        .addObject()
        .put("partition", letter.get("partition").asInt())
        .put("offset", letter.get("offset").asLong())
        .put("value", new String(json(fixed), UTF_8));
    return body.toString();
  }

  private static RecordMetadata send(
      KafkaProducer<String, byte[]> producer, String key, Instant timestamp, byte[] value)
      throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                MeterReadings.READINGS.topic(), null, timestamp.toEpochMilli(), key, value))
        .get();
  }

  private static byte[] json(Reading reading) {
    return MeterReadings.READINGS.values().serde().serializer().serialize("", reading);
  }

  private static Reading withBytes(Reading reading, long bytes) {
    return new Reading(
        reading.meter(), reading.site(), reading.floor(), bytes, reading.timestamp());
  }
}
