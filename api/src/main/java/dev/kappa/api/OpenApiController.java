package dev.kappa.api;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI document generated at compile time as {@code application/yaml}, the type
 * registered for YAML, which a static-resource mapping would send as {@code text/plain}.
 */
@Controller("/openapi")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
final class OpenApiController {

  private static final String YAML = "application/yaml";

  private final ResourceResolver resources;

  OpenApiController(ResourceResolver resources) {
    this.resources = resources;
  }

  @Get(uri = "/{file}", produces = YAML)
  HttpResponse<byte[]> document(@PathVariable String file) {
    if (!file.matches("[\\w.-]+\\.yml")) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "No OpenAPI document " + file);
    }
    try (InputStream in =
        resources
            .getResourceAsStream("classpath:META-INF/swagger/" + file)
            .orElseThrow(
                () ->
                    new HttpStatusException(HttpStatus.NOT_FOUND, "No OpenAPI document " + file))) {
      return HttpResponse.ok(in.readAllBytes()).contentType(YAML);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
