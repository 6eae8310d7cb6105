package dev.kappa.benchmarks.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.benchmarks.internal.JsonHttp;
import dev.kappa.benchmarks.internal.Options;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A serving load: key queries of one serving table, sent from several threads to the instances of a
 * running service for a given time, each answer classified by whether the instance asked gave it
 * (local) or forwarded the query to the instance that holds the key (forwarded). Latency is from
 * sending the request to reading the whole answer, on HTTP/1.1 connections kept alive.
 *
 * <pre>
 * ./bench --query-latency http://localhost:8080,http://localhost:8081 --seconds 30
 * </pre>
 *
 * <p>Options: {@code --url} (the instances, comma-separated; {@code --query-latency} stands for it
 * in {@code ./bench}), {@code --seconds} (30), {@code --threads} (4), {@code --warm-up} (seconds of
 * queries not measured first, 5), {@code --job} and {@code --table} (by default the first table of
 * the first job the service lists), {@code --keys} (the keys are those of at most this many rows,
 * 10,000). Keys are discovered through the first instance: a range query of a key-value table, the
 * windows of the last hour of a windowed table (whose key queries then ask for the windows that
 * start between the first and the last window start found). Each thread sends its queries to the
 * instances in turn, for keys drawn at random.
 *
 * <p>Prints, for local and forwarded answers, queries per second and p50/p90/p99/max latency
 * (exact: every latency is kept), the versions the answers came from, and the failed queries by
 * status. A thread that gets no answer at all (the instance refuses connections) waits 100 ms
 * before its next query.
 */
public final class QueryLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration NO_ANSWER_BACKOFF = Duration.ofMillis(100);

  private final QueryTarget target;
  private final int threads;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private QueryLoad(QueryTarget target, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("Invalid number of threads " + threads + ": at least 1");
    }
    this.target = Objects.requireNonNull(target, "target");
    this.threads = threads;
  }

  /** A load of {@code target} from {@code threads} threads. */
  public static QueryLoad of(QueryTarget target, int threads) {
    return new QueryLoad(target, threads);
  }

  /**
   * Asks the service at {@code urls} (through the first) which table to query and which keys it
   * holds, and each instance its name. The keys come from a range query, which the service answers
   * by reading the whole table (see {@code BENCHMARKS.md}): on a large table, name the keys with a
   * {@link QueryTarget} of your own.
   *
   * @param job the job, or null for the first job listed
   * @param table the table, or null for the first table of the job's active version
   * @param maxKeys the most keys to discover
   * @throws IllegalStateException if the service has no such job or table, or no keys yet
   */
  public static QueryTarget discover(
      List<URI> urls, @Nullable String job, @Nullable String table, int maxKeys) {
    JsonHttp http = new JsonHttp(null);
    JsonNode chosen = null;
    for (JsonNode listed : http.get(urls.get(0), "/jobs").json()) {
      if (chosen == null && (job == null || job.equals(listed.get("job").asText()))) {
        chosen = listed;
      }
    }
    if (chosen == null) {
      throw new IllegalStateException(
          "Cannot query job '"
              + job
              + "': the service at "
              + urls.get(0)
              + " does not host it; name one it hosts with --job (GET /jobs lists them)");
    }
    String jobName = chosen.get("job").asText();
    int active = chosen.get("active").asInt();
    JsonNode tableView = null;
    List<String> tables = new ArrayList<>();
    for (JsonNode version : chosen.get("versions")) {
      if (version.get("version").asInt() != active) {
        continue;
      }
      for (JsonNode listed : version.get("tables")) {
        tables.add(listed.get("name").asText());
        if (tableView == null && (table == null || table.equals(listed.get("name").asText()))) {
          tableView = listed;
        }
      }
    }
    if (tableView == null) {
      throw new IllegalStateException(
          "Cannot query table '"
              + table
              + "' of job '"
              + jobName
              + "': v"
              + active
              + " serves "
              + tables
              + "; name one with --table");
    }
    String tableName = tableView.get("name").asText();
    boolean windowed = tableView.get("shape").asText().equals("WINDOWED");
    String base = "/jobs/" + JsonHttp.segment(jobName) + "/tables/" + JsonHttp.segment(tableName);
    JsonNode rows =
        http.get(urls.get(0), base + (windowed ? "/windows" : "/keys") + "?limit=" + maxKeys)
            .json()
            .get("rows");
    Set<String> keys = new LinkedHashSet<>();
    Instant from = null;
    Instant to = null;
    for (JsonNode row : rows) {
      keys.add(keyText(row.get("key")));
      if (windowed) {
        Instant start = Instant.parse(row.get("start").asText());
        from = from == null || start.isBefore(from) ? start : from;
        to = to == null || start.isAfter(to) ? start : to;
      }
    }
    return new QueryTarget(
        jobName, tableName, windowed, urls, instances(urls), List.copyOf(keys), from, to);
  }

  /**
   * The name of each instance at {@code urls}, as its answers give it.
   *
   * @throws IllegalStateException if one does not answer or hosts no jobs
   */
  public static List<String> instances(List<URI> urls) {
    JsonHttp http = new JsonHttp(null);
    List<String> instances = new ArrayList<>();
    for (URI url : urls) {
      JsonNode jobs = http.get(url, "/jobs").json();
      if (jobs.isEmpty()) {
        throw new IllegalStateException("The service at " + url + " hosts no jobs");
      }
      instances.add(jobs.get(0).get("instance").asText());
    }
    return instances;
  }

  /** A key as the query path takes it: text as it is, anything else as its JSON document. */
  private static String keyText(JsonNode key) {
    return key.isValueNode() ? key.asText() : key.toString();
  }

  /** Starts the load, which runs for {@code duration}; {@link Running#await()} its answers. */
  public Running start(Duration duration) {
    return new Running(duration);
  }

  /** A load under way. */
  public final class Running {

    private final long started = System.nanoTime();
    private final long deadline;
    private final List<Thread> workers = new ArrayList<>();
    private final List<List<QueryAnswer>> answers = new ArrayList<>();
    private final Map<Integer, Map<String, JsonNode>> lastValues = new ConcurrentHashMap<>();

    private Running(Duration duration) {
      deadline = started + duration.toNanos();
      for (int i = 0; i < threads; i++) {
        List<QueryAnswer> mine = new ArrayList<>();
        answers.add(mine);
        int index = i;
        Thread worker = new Thread(() -> query(index, mine), "query-load-" + i);
        worker.setDaemon(true);
        workers.add(worker);
      }
      workers.forEach(Thread::start);
    }

    /** The time since the load started. */
    public Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Waits until the load is over and returns its answers. */
    public Answers await() {
      try {
        for (Thread worker : workers) {
          worker.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        workers.forEach(Thread::interrupt);
        throw new IllegalStateException("Interrupted while waiting for the query load", e);
      }
      List<QueryAnswer> all = new ArrayList<>();
      answers.forEach(all::addAll);
      return new Answers(target, all, Duration.ofNanos(deadline - started), lastValues);
    }

    private void query(int thread, List<QueryAnswer> mine) {
      SplittableRandom random = new SplittableRandom(thread);
      List<String> keys = target.keys();
      for (int sent = 0; System.nanoTime() < deadline && !Thread.interrupted(); sent++) {
        int asked = (thread + sent) % target.urls().size();
        String key = keys.get(random.nextInt(keys.size()));
        QueryAnswer answer = send(asked, key);
        mine.add(answer);
        if (answer.status() == 0 && !Thread.currentThread().isInterrupted()) {
          // an instance that refuses connections would otherwise be asked in a busy loop
          backOff();
        }
      }
    }

    private void backOff() {
      try {
        Thread.sleep(NO_ANSWER_BACKOFF.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private QueryAnswer send(int asked, String key) {
      HttpRequest request =
          HttpRequest.newBuilder(target.urls().get(asked).resolve(target.path(key)))
              .timeout(QUERY_TIMEOUT)
              .GET()
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<byte[]> response =
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long latency = System.nanoTime() - sent;
        int version = 0;
        boolean forwarded = false;
        if (response.statusCode() / 100 == 2) {
          JsonNode answer = JSON.readTree(response.body());
          version = answer.path("version").asInt();
          forwarded = !target.instances().get(asked).equals(answer.path("instance").asText());
          lastValues
              .computeIfAbsent(version, v -> new ConcurrentHashMap<>())
              .put(key, answer.has("windows") ? answer.get("windows") : answer.path("value"));
        }
        return new QueryAnswer(
            sent - started, asked, latency, response.statusCode(), version, forwarded, null);
      } catch (IOException e) {
        return new QueryAnswer(
            sent - started,
            asked,
            System.nanoTime() - sent,
            0,
            0,
            false,
            e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new QueryAnswer(
            sent - started, asked, System.nanoTime() - sent, 0, 0, false, "interrupted");
      }
    }
  }

  /** Runs a load against running instances; see the class comment for the options. */
  public static void main(String[] args) {
    Map<String, String> options =
        Options.parse(
            args,
            Set.of("--url", "--seconds", "--warm-up", "--threads", "--job", "--table", "--keys"));
    List<URI> urls =
        Arrays.stream(options.getOrDefault("--url", "http://localhost:8080").split(","))
            .map(String::strip)
            .map(URI::create)
            .toList();
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "30")));
    Duration warmUp = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--warm-up", "5")));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "4"));
    QueryTarget target =
        discover(
            urls,
            options.get("--job"),
            options.get("--table"),
            Integer.parseInt(options.getOrDefault("--keys", "10000")));
    System.out.println("Querying " + target);
    QueryLoad load = of(target, threads);
    if (!warmUp.isZero()) {
      System.out.printf("Warming up for %d s ...%n", warmUp.toSeconds());
      load.start(warmUp).await();
    }
    System.out.printf("Measuring for %d s from %d threads ...%n", duration.toSeconds(), threads);
    Answers answers = load.start(duration).await();
    System.out.println();
    System.out.print(answers.markdown());
  }
}
