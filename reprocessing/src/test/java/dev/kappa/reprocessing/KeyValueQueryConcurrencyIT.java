package dev.kappa.reprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.reprocessing.SiteReadings.Total;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Key and range queries of a key-value table go through Interactive Queries v2 and run while the
 * stream thread writes the same RocksDB store, from several threads at once. In Kafka Streams 4.3.1
 * a query took the store's position lock and then its monitor while the stream thread's writes took
 * them the other way round, and the two deadlocked (KAFKA-19629); this test looks for that deadlock
 * with the JVM's own detector, with the record cache on (as the service runs) and off (every record
 * a RocksDB write, the most contention).
 */
class KeyValueQueryConcurrencyIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final Duration STALLED = Duration.ofSeconds(10);
  private static final int QUERY_THREADS = 4;

  @TempDir Path state;

  @ParameterizedTest(name = "record cache of {0} bytes")
  @ValueSource(longs = {0, 10 * 1024 * 1024})
  void shouldAnswerKeyAndRangeQueriesWhileTheStreamThreadWritesWithoutDeadlock(long cacheBytes)
      throws Exception {
    String job = "locks-" + cacheBytes;
    kafka.get().createTopic(SiteReadings.READINGS.topic(), 2, Map.of("retention.ms", "-1"));
    JobConfig config =
        JobConfig.builder(kafka.bootstrapServers())
            .stateDirectory(state)
            .commitInterval(Duration.ofMillis(20))
            .set(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheBytes)
            .build();
    try (Workload readings = new Workload(kafka.bootstrapServers(), Duration.ofMillis(1));
        JobHost host =
            JobHost.builder(config)
                .version(1, SiteReadings.all(job))
                .registryTopic("registry-" + job)
                .start()) {
      host.startVersion(job, 1, StartOptions.defaults());
      JobVersion v1 = JobVersion.of(job, 1);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  host.running(v1).map(RunningJob::state).orElse(null)
                      == KafkaStreams.State.RUNNING);
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> readings.produceLive(5000));

      AtomicLong answers = new AtomicLong();
      AtomicLong[] lastAnswer = new AtomicLong[QUERY_THREADS];
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long end = System.nanoTime() + LOAD.toNanos();
      List<Thread> queriers = new ArrayList<>();
      for (int i = 0; i < QUERY_THREADS; i++) {
        AtomicLong last = lastAnswer[i] = new AtomicLong(System.nanoTime());
        int thread = i;
        Thread querier =
            new Thread(
                () -> {
                  var table = host.queries().table(job, SiteReadings.BY_SENSOR);
                  long n = 0;
                  while (System.nanoTime() < end && failure.get() == null) {
                    try {
                      if (n++ % 2 == 0) {
                        Optional<Total> total =
                            table.get("sensor-" + (n + thread) % Workload.sensorCount()).value();
                        total.ifPresent(t -> assertThat(t.count()).isPositive());
                      } else {
                        List<KeyValue<String, Total>> rows = table.range(null, null).value();
                        assertThat(rows).hasSizeLessThanOrEqualTo(Workload.sensorCount());
                      }
                      answers.incrementAndGet();
                      last.set(System.nanoTime());
                    } catch (StoreNotReadyException notReady) {
                      // a rebalance or restore: ask again
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  }
                },
                "query-" + i);
        querier.setDaemon(true);
        querier.start();
        queriers.add(querier);
      }

      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      String deadlock = null;
      String stalled = null;
      while (System.nanoTime() < end && deadlock == null && stalled == null) {
        long[] ids = threads.findDeadlockedThreads();
        if (ids != null) {
          deadlock = describe(threads.getThreadInfo(ids, true, true));
        }
        for (int i = 0; i < QUERY_THREADS; i++) {
          if (System.nanoTime() - lastAnswer[i].get() > STALLED.toNanos()) {
            stalled = "query-" + i + " has had no answer for " + STALLED;
          }
        }
        await().pollDelay(Duration.ofMillis(200)).until(() -> true);
      }
      readings.stop();
      load.get();
      for (Thread querier : queriers) {
        querier.join(STALLED.toMillis());
      }
      System.out.printf(
          "IQv2 LOCKS (cache %d bytes): %,d key and range answers from %d threads in %s while"
              + " %,d readings were written%n",
          cacheBytes, answers.get(), QUERY_THREADS, LOAD, readings.produced());

      assertThat(deadlock).as("threads deadlocked").isNull();
      assertThat(stalled).as("a query thread that stopped answering").isNull();
      assertThat(failure.get()).as("a query that failed").isNull();
      assertThat(answers.get()).isGreaterThan(1_000);
    }
  }

  private static String describe(ThreadInfo[] infos) {
    return Arrays.stream(infos)
        .map(
            info ->
                info.getThreadName()
                    + " waits for "
                    + info.getLockName()
                    + " held by "
                    + info.getLockOwnerName()
                    + " at "
                    + Arrays.toString(info.getStackTrace()))
        .collect(Collectors.joining("\n"));
  }
}
