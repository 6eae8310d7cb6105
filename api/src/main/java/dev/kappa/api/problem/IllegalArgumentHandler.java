package dev.kappa.api.problem;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** A check of the library refused an argument of a request: 400 with the check's message. */
@Produces
@Singleton
@Requires(classes = {IllegalArgumentException.class, ExceptionHandler.class})
final class IllegalArgumentHandler
    implements ExceptionHandler<IllegalArgumentException, HttpResponse<?>> {

  private final ErrorResponseProcessor<?> problems;

  IllegalArgumentHandler(ErrorResponseProcessor<?> problems) {
    this.problems = problems;
  }

  @Override
  public HttpResponse<?> handle(HttpRequest request, IllegalArgumentException error) {
    return problems.processResponse(
        ErrorContext.builder(request).cause(error).errorMessage(error.getMessage()).build(),
        HttpResponse.status(HttpStatus.BAD_REQUEST));
  }
}
