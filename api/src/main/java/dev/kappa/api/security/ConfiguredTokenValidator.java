package dev.kappa.api.security;

import dev.kappa.api.KappaProperties;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * Bearer tokens from configuration: an admin token grants {@link Roles#ADMIN}, the peer token
 * grants {@link Roles#PEER}. Tokens are compared in constant time; an unknown token authenticates
 * no one.
 */
@Singleton
final class ConfiguredTokenValidator implements TokenValidator<HttpRequest<?>> {

  private final KappaProperties properties;

  ConfiguredTokenValidator(KappaProperties properties) {
    this.properties = properties;
  }

  @Override
  public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
    KappaProperties.Security security = properties.getSecurity();
    for (String admin : security.getAdminTokens()) {
      if (matches(admin, token)) {
        return Publishers.just(Authentication.build("admin-token", List.of(Roles.ADMIN)));
      }
    }
    if (matches(security.getPeerToken(), token)) {
      return Publishers.just(Authentication.build("peer", List.of(Roles.PEER)));
    }
    return Publishers.empty();
  }

  static boolean matches(@Nullable String expected, @Nullable String given) {
    if (expected == null || expected.isBlank() || given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
