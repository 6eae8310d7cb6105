package dev.kappa.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Calls to the service's HTTP API that the serving benchmarks make outside the measured load:
 * discovery, admin commands, status. HTTP/1.1 with keep-alive. Thread-safe.
 */
public final class JsonHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final @Nullable String adminToken;

  /** A client that sends {@code adminToken} as a bearer token to the admin endpoints, if given. */
  public JsonHttp(@Nullable String adminToken) {
    this.adminToken = adminToken;
  }

  /** GET {@code base + path}. */
  public Reply get(URI base, String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** POST {@code body} (JSON) to {@code base + path}. */
  public Reply post(URI base, String path, String body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Reply send(HttpRequest.Builder request) {
    if (adminToken != null) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    HttpRequest built = request.timeout(TIMEOUT).build();
    try {
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      return new Reply(built.method() + " " + built.uri(), response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot " + built.method() + " " + built.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted during " + built.method() + " " + built.uri(), e);
    }
  }

  /** {@code text} as one segment of a URL path: URL-encoded, spaces as {@code %20}. */
  public static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code text} as a JSON tree. */
  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("Not JSON: " + text, e);
    }
  }

  /** An answer: what was asked, its status and body. */
  public record Reply(String request, int status, String body) {

    /** Whether the status is 2xx. */
    public boolean ok() {
      return status / 100 == 2;
    }

    /**
     * The body as JSON, if the status is 2xx.
     *
     * @throws IllegalStateException otherwise, with the status and the body (a problem)
     */
    public JsonNode json() {
      if (!ok()) {
        throw new IllegalStateException(request + " answered " + status + ": " + body);
      }
      return parse(body);
    }
  }
}
