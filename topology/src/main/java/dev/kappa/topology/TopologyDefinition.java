package dev.kappa.topology;

/**
 * The processing of a job, written against a {@link JobStreamsBuilder}. It is called once each time
 * the job's topology is built (for a test, for each version, for each instance), so it must build
 * the same topology every time and keep no state of its own.
 *
 * <pre>{@code
 * TopologyDefinition definition = builder -> {
 *     KStream<String, UsageEvent> events = builder.stream(USAGE_EVENTS);
 *     builder.validate("valid-readings", events, (customer, event) -> problem(event));
 *     // ...
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TopologyDefinition {

  /** Adds the job's processing to {@code builder}. */
  void define(JobStreamsBuilder builder);
}
