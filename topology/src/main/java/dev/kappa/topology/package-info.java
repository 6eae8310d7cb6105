/**
 * The job model: a {@link dev.kappa.topology.KappaJob} declares its {@link
 * dev.kappa.topology.Source sources}, {@link dev.kappa.topology.Sink sinks} and {@link
 * dev.kappa.topology.ServingTable serving tables}, and a {@link
 * dev.kappa.topology.TopologyDefinition} builds its processing on a {@link
 * dev.kappa.topology.JobStreamsBuilder}, whose helpers add named windowed aggregations, joins and
 * validation steps. {@link dev.kappa.topology.KappaJob#topology()} builds and checks the result.
 */
@NullMarked
package dev.kappa.topology;

import org.jspecify.annotations.NullMarked;
