package dev.kappa.reprocessing.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of the registry topic: a command, the sequence number of the history it was checked
 * against plus one, when and by which instance it was issued.
 *
 * @param sequence the {@link JobHistory#sequence()} the command was written for
 * @param issuedAt when it was written
 * @param issuedBy the instance that wrote it
 * @param command the command
 */
public record RegistryEntry(
    long sequence, Instant issuedAt, String issuedBy, RegistryCommand command) {

  /** Checks the parts. */
  public RegistryEntry {
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(issuedBy, "issuedBy");
    Objects.requireNonNull(command, "command");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be at least 1, was " + sequence);
    }
  }
}
