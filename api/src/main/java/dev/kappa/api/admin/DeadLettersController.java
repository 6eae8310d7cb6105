package dev.kappa.api.admin;

import dev.kappa.api.admin.DeadLettersViews.PageView;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.query.BadQueryException;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.deadletter.DeadLetters;
import dev.kappa.reprocessing.query.UnknownVersionException;
import dev.kappa.reprocessing.registry.VersionState;
import dev.kappa.reprocessing.registry.VersionStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

/**
 * The dead letters of a job version, newest first: where each came from, why it failed, its key and
 * value, and whether it has been re-driven ({@link DeadLettersAdminController} sends them back).
 * Open like every read under {@code /jobs}.
 */
@Controller("/jobs/{job}/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "queries")
final class DeadLettersController {

  static final int DEFAULT_LIMIT = 50;

  private final ServingHost serving;

  DeadLettersController(ServingHost serving) {
    this.serving = serving;
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "The newest dead letters of a version",
      description =
          "Newest first, at most limit (default 50, at most 1000) of the version's dead-letter"
              + " topic (default the active version), with the number of letters it holds: total,"
              + " exact if totalExact, else an upper bound from offsets. Key and value are text"
              + " when they are UTF-8, else in keyBase64 and valueBase64.")
  PageView newest(
      @PathVariable String job,
      @QueryValue @Nullable String version,
      @QueryValue @Nullable String limit) {
    JobHost host = serving.requireJobAndKafka(job);
    Integer number = versionNumber(version);
    JobVersion chosen =
        readable(
            host,
            job,
            number != null
                ? number
                : host.activeVersion(job).orElseThrow(() -> UnknownVersionException.noActive(job)));
    int max = limit(limit);
    // Reads take no locks: a DeadLetters of the host's cluster each time is enough.
    return PageView.of(DeadLetters.of(host.config()).newest(chosen, max));
  }

  /**
   * Version {@code number} of {@code job}, which the registry must list and which must not be
   * retired (its dead-letter topic is deleted with it).
   *
   * @throws UnknownVersionException if it is not listed, or retired
   */
  static JobVersion readable(JobHost host, String job, int number) {
    VersionState state = ServingHost.requireVersion(host, job, number);
    if (state.status() == VersionStatus.RETIRED) {
      throw new UnknownVersionException(
          state.version() + " is retired: its dead-letter topic was deleted with it");
    }
    return state.version();
  }

  private static @Nullable Integer versionNumber(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      int number = Integer.parseInt(text.strip());
      if (number < 1) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new BadQueryException(
          "Bad version '" + text + "': send a version number from 1, such as version=2");
    }
  }

  private static int limit(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit < 1 || limit > DeadLetters.MAX_LETTERS) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new BadQueryException(
          "Bad limit '"
              + text
              + "': send a number of dead letters from 1 to "
              + DeadLetters.MAX_LETTERS);
    }
  }
}
