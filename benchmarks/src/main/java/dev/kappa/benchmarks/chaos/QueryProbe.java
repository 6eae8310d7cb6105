package dev.kappa.benchmarks.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Key queries kept running through every fault: the last hour's windows of a random node, from a
 * few threads, each to the instances in turn, at about {@code perSecond} in all. It keeps when and
 * where each failed query was sent (any status but 2xx, or no answer), so that the report can say
 * which failed during each fault.
 */
final class QueryProbe implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A query that failed: when it was sent (epoch ms), to which instance, and how. */
  record Failure(long sentAt, String instance, String how) {}

  private final List<ServiceProcess> instances;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean stopped;

  QueryProbe(List<ServiceProcess> instances, int threadCount, int perSecond) {
    this.instances = instances;
    long pause = Math.max(1, 1000L * threadCount / perSecond);
    for (int i = 0; i < threadCount; i++) {
      int index = i;
      Thread thread = new Thread(() -> run(index, pause), "chaos-query-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void run(int index, long pause) {
    SplittableRandom random = new SplittableRandom(index);
    for (int n = 0; !stopped; n++) {
      ServiceProcess instance = instances.get((index + n) % instances.size());
      String node = String.format("n-%04d", random.nextInt(200));
      URI uri =
          instance
              .url()
              .resolve(
                  "/jobs/" + ChaosJob.NAME + "/tables/usage-by-node/keys/" + node + "/windows");
      long at = System.currentTimeMillis();
      sent.incrementAndGet();
      try {
        HttpResponse<String> answer =
            client.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
          failed(new Failure(at, instance.name(), "status " + answer.statusCode()));
        }
      } catch (java.io.IOException e) {
        failed(new Failure(at, instance.name(), "no answer"));
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void failed(Failure failure) {
    failures.add(failure);
  }

  long sent() {
    return sent.get();
  }

  synchronized long failed() {
    return failures.size();
  }

  /** The failed queries sent from {@code from} to {@code to} (epoch ms), by instance and how. */
  synchronized Map<String, Long> failuresBetween(long from, long to) {
    Map<String, Long> counts = new TreeMap<>();
    for (Failure failure : failures) {
      if (failure.sentAt() >= from && failure.sentAt() < to) {
        counts.merge(failure.instance() + " " + failure.how(), 1L, Long::sum);
      }
    }
    return counts;
  }

  @Override
  public void close() {
    stopped = true;
    threads.forEach(Thread::interrupt);
  }
}
