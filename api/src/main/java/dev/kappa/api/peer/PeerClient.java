package dev.kappa.api.peer;

import dev.kappa.api.KappaProperties;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import io.micronaut.context.BeanContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.HttpClientRegistry;
import io.micronaut.http.client.LoadBalancer;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls other instances of the service on their internal endpoints, authenticated with the peer
 * token, with the routing timeout. One pooled HTTP client per instance. A 503, a timeout or a
 * refused connection become {@link StoreNotReadyException}, which the caller may retry.
 */
@Singleton
public final class PeerClient {

  /** The path under which instances answer each other. */
  public static final String INTERNAL = "/internal";

  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final KappaProperties properties;
  private final HttpClientRegistry<?> registry;
  private final BeanContext beans;
  private final Map<HostInfo, HttpClient> clients = new ConcurrentHashMap<>();

  PeerClient(KappaProperties properties, HttpClientRegistry<?> registry, BeanContext beans) {
    this.properties = properties;
    this.registry = registry;
    this.beans = beans;
  }

  /**
   * GETs {@code path} (segments, each encoded here) with {@code query} from {@code host}.
   *
   * @return the answer, with a 2xx status
   * @throws StoreNotReadyException if the instance cannot be reached, does not answer in time or
   *     answers 503: worth a retry
   * @throws PeerProblemException if it answers with another error, to pass on as it is
   * @throws NotRoutableException if this instance has no peer token
   */
  public PeerAnswer get(HostInfo host, List<String> path, Map<String, String> query) {
    String token = properties.getSecurity().getPeerToken();
    if (token == null || token.isBlank()) {
      throw new NotRoutableException(
          "Instance "
              + host
              + " holds this part of the table, and this instance cannot ask it: set the same"
              + " kappa.security.peer-token on every instance");
    }
    StringBuilder uri = new StringBuilder(INTERNAL);
    path.forEach(segment -> uri.append('/').append(encode(segment)));
    if (!query.isEmpty()) {
      uri.append('?')
          .append(
              query.entrySet().stream()
                  .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                  .collect(Collectors.joining("&")));
    }
    HttpRequest<?> request =
        HttpRequest.GET(URI.create(uri.toString()))
            .bearerAuth(token)
            .accept(MediaType.APPLICATION_JSON_TYPE);
    HttpResponse<?> response;
    try {
      response =
          clients
              .computeIfAbsent(host, this::client)
              .toBlocking()
              .exchange(request, Argument.STRING, Argument.STRING);
    } catch (HttpClientResponseException e) {
      response = e.getResponse();
    } catch (HttpClientException e) {
      throw new StoreNotReadyException(
          "Instance " + host + " did not answer: " + e.getMessage(), RETRY_AFTER);
    }
    String body = response.getBody(String.class).orElse("");
    if (response.code() == 503) {
      throw new StoreNotReadyException("Instance " + host + " is not ready: " + body, RETRY_AFTER);
    }
    if (response.code() >= 300) {
      throw new PeerProblemException(
          host.toString(),
          response.code(),
          body,
          response.getContentType().map(MediaType::toString).orElse(MediaType.APPLICATION_JSON));
    }
    return new PeerAnswer(host, body);
  }

  private HttpClient client(HostInfo host) {
    DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
    configuration.setReadTimeout(properties.getRouting().getTimeout());
    configuration.setConnectTimeout(properties.getRouting().getTimeout());
    configuration.setExceptionOnErrorStatus(false);
    // From the application context's registry, not HttpClient.create: that looks the client
    // factory up with the thread's class loader, which does not see it when the service runs
    // inside another application (the demo under exec:java).
    return registry.resolveClient(
        null,
        LoadBalancer.fixed(URI.create("http://" + host.host() + ":" + host.port())),
        configuration,
        beans);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @PreDestroy
  void close() {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }

  /** What another instance answered. */
  public record PeerAnswer(HostInfo host, String body) {}
}
