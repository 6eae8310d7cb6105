package dev.kappa.api.problem;

import dev.kappa.api.query.KeyNotFoundException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.NotFoundException;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders every error of the service as {@code application/problem+json} (RFC 9457): the service's
 * own errors, and Micronaut's (401 and 403 from security, 404 for an unknown path, 400 for a body
 * it cannot read). The detail says what to fix; no stack trace leaves the process.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class ProblemResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {

  /** The media type of problem details. */
  public static final String PROBLEM_JSON = "application/problem+json";

  private static final String TYPES = "https://kappa.dev/problems/";

  /**
   * The path Netty gives a request it could not decode (a body too large, a malformed request
   * line): the request's own path is lost, so the problem has no {@code instance}.
   */
  private static final String UNDECODED = "/bad-request";

  @Override
  public MutableHttpResponse<Map<String, Object>> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpStatus status = response.getStatus();
    if (context.getRequest().getMethod() == HttpMethod.HEAD) {
      @SuppressWarnings("unchecked") // a HEAD answer has no body
      MutableHttpResponse<Map<String, Object>> bodiless =
          (MutableHttpResponse<Map<String, Object>>) response;
      return bodiless;
    }
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", TYPES + type(context, status));
    problem.put("title", status.getReason());
    problem.put("status", status.getCode());
    problem.put("detail", detail(context, status));
    String path = context.getRequest().getPath();
    if (!path.equals(UNDECODED)) {
      problem.put("instance", path);
    }
    if (context.getRootCause().orElse(null) instanceof KeyNotFoundException notFound) {
      problem.put("version", notFound.version().number());
      problem.put("servedBy", notFound.instance());
    }
    if (path.equals(UNDECODED) || status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
      // The server closes a connection whose request it could not decode or read to its end: say
      // so, or a client reuses the connection and its next request gets no answer at all.
      response.header(HttpHeaders.CONNECTION, "close");
    }
    return response.body(problem).contentType(MediaType.of(PROBLEM_JSON));
  }

  /**
   * The type of one of the service's own errors; else the status's reason ({@code bad-request} for
   * a body Micronaut cannot read, {@code internal-error} for a 500).
   */
  private static String type(ErrorContext context, HttpStatus status) {
    String own = context.getRootCause().map(ProblemTypes::of).orElse(null);
    if (own != null) {
      return own;
    }
    return status == HttpStatus.INTERNAL_SERVER_ERROR
        ? "internal-error"
        : status.getReason().toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
  }

  private static String detail(ErrorContext context, HttpStatus status) {
    // Security's and the router's own messages are bare reason phrases; say what to do instead.
    Throwable cause = context.getRootCause().orElse(null);
    boolean generic = cause instanceof AuthorizationException || cause instanceof NotFoundException;
    if (context.hasErrors() && !generic) {
      return context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    }
    return switch (status) {
      case UNAUTHORIZED ->
          "This operation needs credentials: send an admin token (Authorization: Bearer ...) or"
              + " an admin user's basic credentials, as configured in kappa.security";
      case FORBIDDEN -> "These credentials do not grant this operation";
      case NOT_FOUND ->
          "No such resource: "
              + context.getRequest().getPath()
              + ". The tables are under /jobs/{job}/tables/{table}; GET /jobs lists them";
      default -> status.getReason();
    };
  }
}
