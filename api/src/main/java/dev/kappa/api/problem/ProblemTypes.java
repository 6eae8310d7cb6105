package dev.kappa.api.problem;

import dev.kappa.api.host.KafkaUnavailableException;
import dev.kappa.api.peer.NotRoutableException;
import dev.kappa.api.query.BadQueryException;
import dev.kappa.api.query.KeyNotFoundException;
import dev.kappa.reprocessing.query.KeyElsewhereException;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.reprocessing.query.UnknownJobException;
import dev.kappa.reprocessing.query.UnknownTableException;
import dev.kappa.reprocessing.query.UnknownVersionException;
import dev.kappa.reprocessing.registry.CommandRefusedException;
import dev.kappa.reprocessing.replay.IncompleteHistoryException;
import dev.kappa.reprocessing.replay.MissingSourcesException;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.AuthorizationException;
import org.jspecify.annotations.Nullable;

/** The status and problem type of each error the service answers with. */
final class ProblemTypes {

  private ProblemTypes() {}

  static HttpStatus status(Throwable error) {
    if (error instanceof BadQueryException || error instanceof IllegalArgumentException) {
      return HttpStatus.BAD_REQUEST;
    } else if (error instanceof UnknownTableException || error instanceof KeyNotFoundException) {
      return HttpStatus.NOT_FOUND;
    } else if (error instanceof CommandRefusedException
        || error instanceof IncompleteHistoryException
        || error instanceof MissingSourcesException) {
      return HttpStatus.CONFLICT;
    } else if (error instanceof StoreNotReadyException
        || error instanceof KeyElsewhereException
        || error instanceof NotRoutableException
        || error instanceof KafkaUnavailableException) {
      return HttpStatus.SERVICE_UNAVAILABLE;
    }
    return HttpStatus.INTERNAL_SERVER_ERROR;
  }

  /** The problem type of one of the service's own errors, or null for any other error. */
  static @Nullable String of(Throwable error) {
    if (error instanceof BadQueryException || error instanceof IllegalArgumentException) {
      return "bad-query";
    } else if (error instanceof UnknownJobException) {
      return "unknown-job";
    } else if (error instanceof UnknownVersionException) {
      return "unknown-version";
    } else if (error instanceof UnknownTableException) {
      return "unknown-table";
    } else if (error instanceof KeyNotFoundException) {
      return "key-not-found";
    } else if (error instanceof CommandRefusedException) {
      return "command-refused";
    } else if (error instanceof IncompleteHistoryException) {
      return "incomplete-history";
    } else if (error instanceof MissingSourcesException) {
      return "missing-sources";
    } else if (error instanceof StoreNotReadyException) {
      return "store-not-ready";
    } else if (error instanceof KeyElsewhereException) {
      return "key-moved";
    } else if (error instanceof NotRoutableException) {
      return "not-routable";
    } else if (error instanceof KafkaUnavailableException) {
      return "kafka-unavailable";
    } else if (error instanceof AuthorizationException authorization) {
      return authorization.isForbidden() ? "forbidden" : "unauthorized";
    }
    return null;
  }
}
