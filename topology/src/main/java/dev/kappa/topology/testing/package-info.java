/**
 * Testing jobs with Kafka Streams' {@code TopologyTestDriver}: {@link
 * dev.kappa.topology.testing.JobTestDriver} configures it as a job runs and gives typed access to
 * the job's sources, sinks, serving tables and dead letters.
 */
@NullMarked
package dev.kappa.topology.testing;

import org.jspecify.annotations.NullMarked;
