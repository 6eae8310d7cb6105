package dev.kappa.api.security;

import dev.kappa.api.KappaProperties;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** HTTP basic users from {@code kappa.security.admin-users}; each has {@link Roles#ADMIN}. */
@Singleton
final class ConfiguredUsers<B> implements HttpRequestAuthenticationProvider<B> {

  private final KappaProperties properties;

  ConfiguredUsers(KappaProperties properties) {
    this.properties = properties;
  }

  @Override
  public AuthenticationResponse authenticate(
      @Nullable HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
    String user = credentials.getIdentity();
    String password = properties.getSecurity().getAdminUsers().get(user);
    if (password != null && ConfiguredTokenValidator.matches(password, credentials.getSecret())) {
      return AuthenticationResponse.success(user, List.of(Roles.ADMIN));
    }
    return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
  }
}
