package dev.kappa.api.console;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The console's page at {@code /console/}, and a redirect there from {@code /console}: the page
 * loads its scripts and calls the API by addresses relative to its own, which resolve only from the
 * directory. Micronaut routes both paths here, so the static resources serve only the other files.
 */
@Controller("/console")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
final class ConsoleController {

  private static final String PAGE = "classpath:console/index.html";
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
          + " frame-ancestors 'none'";

  private final ResourceResolver resources;

  ConsoleController(ResourceResolver resources) {
    this.resources = resources;
  }

  @Get(produces = MediaType.TEXT_HTML)
  HttpResponse<?> console(HttpRequest<?> request) {
    if (!request.getPath().endsWith("/")) {
      // Relative, so that it also holds behind a proxy that serves the service under a prefix.
      return HttpResponse.permanentRedirect(URI.create("console/"));
    }
    try (InputStream in =
        resources
            .getResourceAsStream(PAGE)
            .orElseThrow(
                () -> new IllegalStateException("The console's page is missing: " + PAGE))) {
      return HttpResponse.ok(in.readAllBytes())
          .contentType(MediaType.TEXT_HTML_TYPE)
          .header("Cache-Control", "no-cache")
          // The page takes an admin token: nothing but its own scripts and the service may run or
          // be reached from it, and no other site may frame it.
          .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
