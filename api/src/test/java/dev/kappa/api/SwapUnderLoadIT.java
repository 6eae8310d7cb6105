package dev.kappa.api;

import static dev.kappa.api.ServingIT.totalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reprocessing loop through the HTTP API of two instances: v2 is started and replays while v1
 * serves, its progress is read through the instance that does not replay it, v1 and v2 answer side
 * by side, and the swap (then a rollback) flips the answers of both instances while four threads
 * query both without a failure, each answer from exactly one version.
 */
class SwapUnderLoadIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final int METERS = 40;
  private static final Readings READINGS = new Readings(3_000, METERS, 11);
  private static final Map<Integer, Map<String, Total>> EXPECTED =
      Map.of(1, READINGS.byMeter(0), 2, READINGS.byMeter(MeterReadings.LARGE));
  private static final String KEYS = "/jobs/meters/tables/totals-by-meter/keys/";
  private static final Duration TIMEOUT = ServicePair.TIMEOUT;

  private static ServicePair pair;
  private static ServiceInstance a;
  private static ServiceInstance b;

  @BeforeAll
  static void startTwoInstances() throws Exception {
    pair = ServicePair.serving(kafka, "swap", READINGS);
    a = pair.a();
    b = pair.b();
  }

  @AfterAll
  static void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void shouldSwapBothInstancesThroughTheHttpApiWhileQueriesKeepSucceeding() throws Exception {
    Reply started =
        a.post("/admin/jobs/meters/versions", "{\"version\":2}", ServiceInstance.ADMIN_TOKEN);
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    assertThat(started.json().get("records").asLong()).isEqualTo(READINGS.all().size());
    assertThat(started.json().get("applicationId").asText()).isEqualTo("meters-v2");

    // v2 replays on both instances; either answers from it: first that the replay has not reached
    // the key yet, if it has not, then the key, from whichever instance holds it.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Reply replaying = b.get(KEYS + Readings.meter(1) + "?version=2");
              if (replaying.status() == 404) {
                assertThat(replaying.json().get("detail").asText()).contains("still replaying");
              }
              assertThat(replaying.status()).as(replaying.toString()).isEqualTo(200);
              assertThat(replaying.json().get("version").asInt()).isEqualTo(2);
              assertThat(replaying.json().get("instance").asText()).isIn(a.name(), b.name());
            });

    // Progress is measured on the instance asked, from the offsets every instance shares.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Reply progress =
                  b.get("/admin/jobs/meters/versions/2/progress", ServiceInstance.ADMIN_TOKEN);
              assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
              assertThat(progress.json().get("instance").asText()).isEqualTo(b.name());
              assertThat(progress.json().get("target").asLong()).isEqualTo(READINGS.all().size());
            });
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(status(b, 2)).isEqualTo("CAUGHT_UP"));

    // Before the swap, a reviewer compares the versions key by key, on either instance.
    for (String meter : List.of(Readings.meter(1), Readings.meter(2), Readings.meter(3))) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                JsonNode v2 = b.get(KEYS + meter + "?version=2").json();
                assertThat(v2.get("version").asInt()).isEqualTo(2);
                assertThat(totalOf(v2.get("value"))).isEqualTo(EXPECTED.get(2).get(meter));
              });
      JsonNode v1 = b.get(KEYS + meter).json();
      assertThat(v1.get("version").asInt()).isEqualTo(1);
      assertThat(totalOf(v1.get("value"))).isEqualTo(EXPECTED.get(1).get(meter));
    }

    try (Load load = new Load(4)) {
      load.awaitAnswers(200);
      long swapAt = System.nanoTime();
      Reply swap = a.post("/admin/jobs/meters/swap", "{\"to\":2}", ServiceInstance.ADMIN_TOKEN);
      assertThat(swap.status()).as(swap.toString()).isEqualTo(200);
      assertThat(swap.json().get("active").asInt()).isEqualTo(2);
      await().atMost(TIMEOUT).until(() -> answersFrom(a) == 2 && answersFrom(b) == 2);
      long flippedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - swapAt);
      load.awaitAnswers(load.answered() + 200);

      Reply rollback = b.post("/admin/jobs/meters/rollback", "", ServiceInstance.ADMIN_TOKEN);
      assertThat(rollback.status()).as(rollback.toString()).isEqualTo(200);
      assertThat(rollback.json().get("active").asInt()).isEqualTo(1);
      await().atMost(TIMEOUT).until(() -> answersFrom(a) == 1 && answersFrom(b) == 1);
      load.awaitAnswers(load.answered() + 200);
      load.stop();

      System.out.printf(
          "SWAP UNDER LOAD: %d queries, %d failed, %d wrong; answers by version %s;"
              + " both instances answered from v2 %d ms after the swap call%n",
          load.answered(), load.failures.size(), load.wrong.size(), load.byVersion, flippedMs);
      assertThat(load.failures).as("failed queries").isEmpty();
      assertThat(load.wrong).as("answers that match no version").isEmpty();
      assertThat(load.byVersion.get(1).get()).isPositive();
      assertThat(load.byVersion.get(2).get()).isPositive();
    }
    assertThat(b.get("/prometheus").body())
        .contains("kappa_swaps_total{job=\"meters\",kind=\"swap\"");
  }

  private static int answersFrom(ServiceInstance instance) {
    return instance.get(KEYS + Readings.meter(5)).json().get("version").asInt();
  }

  private static String status(ServiceInstance instance, int version) {
    for (JsonNode each : instance.get("/jobs/meters").json().get("versions")) {
      if (each.get("version").asInt() == version) {
        return each.get("status").asText();
      }
    }
    return "absent";
  }

  /** Threads that query both instances for every meter, and check every answer. */
  private static final class Load implements AutoCloseable {
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    final Map<Integer, AtomicLong> byVersion =
        new ConcurrentHashMap<>(Map.of(1, new AtomicLong(), 2, new AtomicLong()));
    private final AtomicLong answered = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;
    private final List<Future<?>> work = new ArrayList<>();

    Load(int threadCount) {
      threads = Executors.newFixedThreadPool(threadCount);
      for (int t = 0; t < threadCount; t++) {
        int offset = t;
        work.add(threads.submit(() -> run(offset)));
      }
    }

    private void run(int offset) {
      int i = offset;
      while (running.get()) {
        String meter = Readings.meter(i % METERS);
        ServiceInstance instance = i % 2 == 0 ? a : b;
        Reply reply = instance.get(KEYS + meter);
        if (reply.status() != 200) {
          failures.add(instance.name() + " " + meter + ": " + reply);
        } else {
          JsonNode answer = reply.json();
          int version = answer.get("version").asInt();
          Total expected = EXPECTED.getOrDefault(version, Map.of()).get(meter);
          if (!totalOf(answer.get("value")).equals(expected)) {
            wrong.add(meter + " from v" + version + ": " + answer);
          } else {
            byVersion.get(version).incrementAndGet();
          }
        }
        answered.incrementAndGet();
        i += 7;
      }
    }

    long answered() {
      return answered.get();
    }

    void awaitAnswers(long count) {
      await().atMost(TIMEOUT).until(() -> answered.get() >= count);
    }

    void stop() throws Exception {
      running.set(false);
      for (Future<?> each : work) {
        each.get(1, TimeUnit.MINUTES);
      }
    }

    @Override
    public void close() {
      running.set(false);
      threads.shutdownNow();
    }
  }
}
