package dev.kappa.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kappa.api.host.KafkaUnavailableException;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.peer.PeerProblemException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.topology.KappaException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the library's errors with their status and a problem body: 400 for a bad query, 404 for
 * an unknown job, table, version or key, 409 for a refused command, 503 with Retry-After for a
 * store that is not ready or a Kafka cluster that does not answer. Any other failure while Kafka
 * does not answer is that 503 too, since retrying when it answers is what helps. An error another
 * instance answered goes back as it came, naming the path this instance was asked.
 */
@Produces
@Singleton
@Requires(classes = {KappaException.class, ExceptionHandler.class})
final class KappaExceptionHandler implements ExceptionHandler<KappaException, HttpResponse<?>> {

  private static final Logger log = LoggerFactory.getLogger(KappaExceptionHandler.class);

  private final ErrorResponseProcessor<?> problems;
  private final ObjectMapper json;
  private final ServingHost serving;

  KappaExceptionHandler(
      ErrorResponseProcessor<?> problems, ObjectMapper json, ServingHost serving) {
    this.problems = problems;
    this.json = json;
    this.serving = serving;
  }

  /**
   * The problem another instance answered, with its {@code instance} the path this instance was
   * asked rather than the internal path it forwarded to; any other body as it came.
   */
  private String asAsked(PeerProblemException peer, HttpRequest<?> request) {
    try {
      if (json.readTree(peer.body()) instanceof ObjectNode problem && problem.has("instance")) {
        problem.put("instance", request.getPath());
        return json.writeValueAsString(problem);
      }
    } catch (JsonProcessingException e) {
      // Not JSON: passed on as it came.
    }
    return peer.body();
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, KappaException error) {
    if (error instanceof PeerProblemException peer) {
      return HttpResponse.status(HttpStatus.valueOf(peer.status()))
          .contentType(MediaType.of(peer.contentType()))
          .body(asAsked(peer, request));
    }
    KappaException problem = error;
    if (ProblemTypes.status(error) == HttpStatus.INTERNAL_SERVER_ERROR) {
      Optional<KafkaUnavailableException> unavailable = serving.kafkaUnavailable();
      if (unavailable.isPresent()) {
        log.warn("Request {} failed while Kafka does not answer: {}", request, error.toString());
        problem = unavailable.get();
      } else {
        log.error("Request {} failed", request, error);
      }
    }
    MutableHttpResponse<?> response = HttpResponse.status(ProblemTypes.status(problem));
    if (problem instanceof StoreNotReadyException notReady) {
      response.header("Retry-After", seconds(notReady.retryAfter()));
    } else if (problem instanceof KafkaUnavailableException unavailable) {
      response.header("Retry-After", seconds(unavailable.retryAfter()));
    }
    return problems.processResponse(
        ErrorContext.builder(request).cause(problem).errorMessage(problem.getMessage()).build(),
        response);
  }

  private static String seconds(Duration retryAfter) {
    return Long.toString(Math.max(1, retryAfter.toSeconds()));
  }
}
