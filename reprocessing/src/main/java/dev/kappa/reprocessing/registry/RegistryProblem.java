package dev.kappa.reprocessing.registry;

/**
 * A record of the registry topic that was skipped: it could not be read, names an unknown command,
 * or breaks a rule. It changed nothing.
 *
 * @param offset its offset in the registry topic
 * @param reason why it was skipped
 */
public record RegistryProblem(long offset, String reason) {}
