package dev.kappa.api;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The Kappa service: it hosts the jobs it finds on the class path ({@link VersionedJob}), follows
 * the registry, and serves their tables and the admin operations over HTTP.
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=broker:9092 KAPPA_SECURITY_ADMIN_TOKENS=secret \
 *   java -jar kappa-service.jar
 * curl localhost:8080/jobs
 * curl localhost:8080/openapi/kappa-0.1.yml
 * </pre>
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "kappa",
            version = "0.1",
            description =
                "Queries over the serving tables of Kafka Streams jobs, answered by the active"
                    + " version on the instance that holds the key, and the admin operations of"
                    + " the reprocessing loop: start a version, follow its replay, swap, roll back,"
                    + " retire.",
            license = @License(name = "Apache-2.0")))
@SecurityScheme(name = "admin", type = SecuritySchemeType.HTTP, scheme = "bearer")
public final class KappaService {

  private KappaService() {}

  /** Starts the service with {@code application.yml}, the environment and {@code args}. */
  public static void main(String[] args) {
    Micronaut.build(args).mainClass(KappaService.class).banner(false).start();
  }
}
