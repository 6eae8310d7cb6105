package dev.kappa.api.security;

import dev.kappa.api.KappaProperties;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Reads ({@code GET /jobs/**}) are open when {@code kappa.security.open-reads} is true (the
 * default) and need any authenticated caller otherwise. Other paths are left to the other rules.
 */
@Singleton
final class ReadAccessRule implements SecurityRule<HttpRequest<?>> {

  private final KappaProperties properties;

  ReadAccessRule(KappaProperties properties) {
    this.properties = properties;
  }

  @Override
  public Publisher<SecurityRuleResult> check(
      HttpRequest<?> request, @Nullable Authentication authentication) {
    String path = request.getPath();
    boolean read =
        (request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD)
            && (path.equals("/jobs") || path.startsWith("/jobs/"));
    if (!read) {
      return Publishers.just(SecurityRuleResult.UNKNOWN);
    }
    boolean allowed = properties.getSecurity().isOpenReads() || authentication != null;
    return Publishers.just(allowed ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
  }

  @Override
  public int getOrder() {
    return SecuredAnnotationRule.ORDER - 100;
  }
}
