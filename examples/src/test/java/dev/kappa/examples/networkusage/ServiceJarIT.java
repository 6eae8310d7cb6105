package dev.kappa.examples.networkusage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.api.VersionedJob;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.examples.failedlogins.FailedLoginsJob;
import dev.kappa.examples.incidents.IncidentsJob;
import dev.kappa.examples.pagehits.PageHitsJob;
import dev.kappa.examples.rollups.RollupsJob;
import dev.kappa.topology.KappaJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/kappa-service.jar} as an operator runs it: {@code java -jar} in its own process,
 * against a real broker, finding the example jobs (network usage, page hits, failed logins) on its
 * class path through {@code META-INF/services}, starting v1 of each and reporting ready. Failsafe
 * runs after {@code package}, so the jar is there.
 */
class ServiceJarIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Path JAR = Paths.get("target", "kappa-service.jar");
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** Version 1 of every job the jar hosts, found as the service finds them. */
  private static final List<KappaJob> JOBS =
      ServiceLoader.load(VersionedJob.class).stream()
          .map(job -> job.get().versions().get(1))
          .toList();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path work;
  private Process service;

  @AfterEach
  void stopService() throws InterruptedException {
    if (service != null && service.isAlive()) {
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldStartFromTheJarAndServeVersionOneOfEveryExampleJob() throws Exception {
    assertThat(JAR).as("built by mvn package").isRegularFile();
    // As an operator does before starting the service: the sources of every job the jar hosts
    // exist (else the service waits for them, not ready), and keep their whole history, so that a
    // v2 can replay it.
    Set<String> sources = new TreeSet<>();
    for (VersionedJob job : ServiceLoader.load(VersionedJob.class)) {
      job.versions().values().forEach(code -> code.sources().forEach(s -> sources.add(s.topic())));
    }
    assertThat(JOBS)
        .extracting(KappaJob::name)
        .containsExactlyInAnyOrder(
            NetworkUsageJob.NAME,
            PageHitsJob.NAME,
            FailedLoginsJob.NAME,
            RollupsJob.NAME,
            IncidentsJob.NAME);
    for (String topic : sources) {
      kafka.get().createTopic(topic, 3, Map.of("retention.ms", "-1"));
    }
    int port = freePort();
    Path log = work.resolve("service.log");
    ProcessBuilder command =
        new ProcessBuilder(
                javaExecutable(),
                "-Dmicronaut.server.port=" + port,
                "-Dkappa.state-directory=" + work.resolve("state"),
                "-jar",
                JAR.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    command.environment().put("KAPPA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    service = command.start();
    String base = "http://localhost:" + port;

    await("the service to report ready (its log: " + log + ")")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(service.isAlive()).as("the service is running: %s", tail(log)).isTrue();
              Reply readiness = get(base + "/health/readiness");
              assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
              assertThat(readiness.json().path("status").asText()).isEqualTo("UP");
            });
    await("v1 of every job to be active and running")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Reply jobs = get(base + "/jobs");
              assertThat(jobs.status()).as(jobs.body()).isEqualTo(200);
              for (KappaJob example : JOBS) {
                JsonNode job = job(jobs.json(), example.name());
                assertThat(job).as(jobs.body()).isNotNull();
                // "Active" is the job's pointer, not a status of the version.
                assertThat(job.path("active").asInt()).as(jobs.body()).isEqualTo(1);
                assertThat(version(job, 1).path("stateHere").asText())
                    .as(jobs.body())
                    .isEqualTo("RUNNING");
              }
            });
  }

  private static JsonNode job(JsonNode jobs, String name) {
    for (JsonNode job : jobs) {
      if (name.equals(job.path("job").asText())) {
        return job;
      }
    }
    return null;
  }

  private static JsonNode version(JsonNode job, int number) {
    for (JsonNode version : job.path("versions")) {
      if (version.path("version").asInt() == number) {
        return version;
      }
    }
    return JSON.missingNode();
  }

  private static Reply get(String uri) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      // not listening yet
      return new Reply(-1, e.toString());
    }
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }
}
