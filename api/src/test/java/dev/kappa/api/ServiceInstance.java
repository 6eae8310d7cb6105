package dev.kappa.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One instance of the service in this JVM, on its own port and state directory, against the test
 * broker, with an HTTP client for the tests.
 */
final class ServiceInstance implements AutoCloseable {

  static final String ADMIN_TOKEN = "admin-secret";
  static final String PEER_TOKEN = "peer-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final EmbeddedServer server;

  private ServiceInstance(EmbeddedServer server) {
    this.server = server;
  }

  /** Starts an instance of the meters' job; {@code overrides} replace the test defaults. */
  static ServiceInstance start(
      String bootstrapServers,
      Path stateDirectory,
      String registryTopic,
      Map<String, Object> overrides) {
    return start(bootstrapServers, stateDirectory, registryTopic, overrides, List.of());
  }

  /** Like {@link #start(String, Path, String, Map)}, hosting {@code moreJobs} too. */
  static ServiceInstance start(
      String bootstrapServers,
      Path stateDirectory,
      String registryTopic,
      Map<String, Object> overrides,
      List<VersionedJob> moreJobs) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.port", freePort());
    properties.put("kappa.bootstrap-servers", bootstrapServers);
    properties.put("kappa.state-directory", stateDirectory.toString());
    properties.put("kappa.registry-topic", registryTopic);
    properties.put("kappa.security.admin-tokens", ADMIN_TOKEN);
    properties.put("kappa.security.peer-token", PEER_TOKEN);
    properties.put("kappa.replay.settling-period", "1s");
    properties.put("kappa.kafka.commit.interval.ms", "200");
    properties.put("kappa.kafka.statestore.cache.max.bytes", "0");
    properties.putAll(overrides);
    EmbeddedServer server =
        ApplicationContext.builder(properties)
            .singletons(MeterReadings.versions())
            .singletons(moreJobs.toArray())
            .deduceEnvironment(false)
            .run(EmbeddedServer.class);
    return new ServiceInstance(server);
  }

  /** This instance's {@code host:port}, as the answers name it. */
  String name() {
    return "localhost:" + server.getPort();
  }

  ApplicationContext context() {
    return server.getApplicationContext();
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), null);
  }

  Reply get(String path, String token) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), token);
  }

  Reply post(String path, String body, @Nullable String token) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  /**
   * Sends {@code method} to {@code path} as it is (already URL-encoded), with {@code body} and its
   * {@code contentType} if not null, as {@code token}'s bearer if not null.
   */
  Reply send(
      String method,
      String path,
      @Nullable String body,
      @Nullable String contentType,
      @Nullable String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request, token);
  }

  /**
   * Sends only the head of a POST to {@code path} that announces a body of {@code contentLength}
   * bytes, and reads the answer the service gives from the announced length alone.
   *
   * <p>A client that sends a body the service refuses may see the connection reset before it reads
   * the answer, because the service closes it with the rest of the body unread; without a body,
   * nothing is left unread.
   */
  Reply postHead(String path, long contentLength, String token) {
    try (Socket socket = new Socket("localhost", server.getPort())) {
      socket.setSoTimeout(30_000);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + name()
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + contentLength
              + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // The service closes the connection after such an answer, so the answer ends there.
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = answer.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new IllegalStateException("Not an HTTP answer: " + answer);
      }
      String[] lines = answer.substring(0, end).split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new Reply(
          Integer.parseInt(lines[0].split(" ")[1]),
          headers.getOrDefault("content-type", ""),
          Optional.ofNullable(headers.get("retry-after")),
          answer.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://" + name() + path);
  }

  private static Reply send(HttpRequest.Builder request, @Nullable String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Retry-After"),
          response.body());
    } catch (java.net.http.HttpTimeoutException e) {
      // The instances run in this JVM: show what they were doing instead of answering.
      for (java.lang.management.ThreadInfo thread :
          java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        System.out.println(
            "THREAD "
                + thread.getThreadName()
                + " "
                + thread.getThreadState()
                + (thread.getLockOwnerName() == null
                    ? ""
                    : " waiting for "
                        + thread.getLockName()
                        + " held by "
                        + thread.getLockOwnerName()));
        for (StackTraceElement frame : thread.getStackTrace()) {
          System.out.println("    at " + frame);
        }
        for (java.lang.management.MonitorInfo monitor : thread.getLockedMonitors()) {
          System.out.println("    holds " + monitor + " taken at " + monitor.getLockedStackFrame());
        }
      }
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP answer. */
  record Reply(int status, String contentType, Optional<String> retryAfter, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }
}
