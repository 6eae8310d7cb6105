package dev.kappa.api.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.api.admin.DeadLettersViews.LetterChoice;
import dev.kappa.api.admin.DeadLettersViews.RedriveBody;
import dev.kappa.api.admin.DeadLettersViews.RedriveView;
import dev.kappa.api.host.ServingHost;
import dev.kappa.api.query.BadQueryException;
import dev.kappa.api.security.Roles;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.deadletter.DeadLetters;
import dev.kappa.reprocessing.deadletter.RedriveRequest;
import dev.kappa.reprocessing.deadletter.RedriveResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sends chosen dead letters of a version back to their source topic, optionally with a fixed value,
 * each at most once however often and from however many instances it is asked (see {@link
 * DeadLetters#redrive}). Only for callers with the admin role. Counted in {@code
 * kappa_dead_letters_redriven_total{job,version}} on the instance that sent them.
 */
@Controller("/admin/jobs/{job}/dead-letters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
@SecurityRequirement(name = "admin")
final class DeadLettersAdminController {

  private final ServingHost serving;
  private final MeterRegistry meters;
  private @Nullable JobHost boundTo;
  private @Nullable DeadLetters deadLetters;

  DeadLettersAdminController(ServingHost serving, MeterRegistry meters) {
    this.serving = serving;
    this.meters = meters;
  }

  @Post(
      uri = "/redrive",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Send dead letters back to their source topic",
      description =
          "Each letter, named by its partition and offset in the version's dead-letter topic, is"
              + " sent to the partition of its source topic it came from, with its key, headers"
              + " and original timestamp, and value (the letter's, or the text of value), marked"
              + " with the header kappa.redriven.from. A letter is sent once: the answer lists the"
              + " letters this call sent and those sent before. 400 for an empty list or a letter"
              + " that does not exist; nothing is sent then.")
  RedriveView redrive(@PathVariable String job, @Body RedriveBody body) {
    JobHost host = serving.requireJobAndKafka(job);
    if (body.version() == null) {
      throw new BadQueryException(
          "Send the version whose dead letters to re-drive:"
              + " {\"version\":1,\"letters\":[{\"partition\":0,\"offset\":2}]}");
    }
    if (body.version() < 1) {
      throw new BadQueryException(
          "Bad version " + body.version() + ": versions are numbered from 1");
    }
    JobVersion version = DeadLettersController.readable(host, job, body.version());
    RedriveResult result = deadLetters(host).redrive(version, requests(body.letters()));
    Counter.builder("kappa.dead.letters.redriven")
        .description("Dead letters this instance sent back to their source topic")
        .tag("job", job)
        .tag("version", Integer.toString(version.number()))
        .register(meters)
        .increment(result.sent().size());
    return RedriveView.of(job, version.number(), result);
  }

  private static List<RedriveRequest> requests(@Nullable List<LetterChoice> letters) {
    if (letters == null || letters.isEmpty()) {
      throw new BadQueryException(
          "Name the dead letters to re-drive by partition and offset:"
              + " {\"version\":1,\"letters\":[{\"partition\":0,\"offset\":2}]}");
    }
    List<RedriveRequest> requests = new ArrayList<>();
    for (int i = 0; i < letters.size(); i++) {
      LetterChoice letter = letters.get(i);
      if (letter == null || letter.partition() == null || letter.offset() == null) {
        throw new BadQueryException(
            "Letter "
                + i
                + " of the list names no partition or offset: send"
                + " {\"partition\":0,\"offset\":2}, and \"value\" to replace its value");
      }
      RedriveRequest request = new RedriveRequest(letter.partition(), letter.offset(), null);
      requests.add(
          letter.value() == null ? request : request.withValue(letter.value().getBytes(UTF_8)));
    }
    return requests;
  }

  /** One {@link DeadLetters} per host, so that the re-drives of this instance take turns. */
  private synchronized DeadLetters deadLetters(JobHost host) {
    if (boundTo != host || deadLetters == null) {
      deadLetters = DeadLetters.of(host.config());
      boundTo = host;
    }
    return deadLetters;
  }
}
