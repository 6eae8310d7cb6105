/**
 * The network-usage example: {@link dev.kappa.examples.networkusage.NetworkUsageJob} rolls device
 * readings up to node, agent and network usage per minute and joins node alarms with nearby
 * readings; {@link dev.kappa.examples.networkusage.UsageGenerator} produces its workload and {@link
 * dev.kappa.examples.networkusage.NetworkUsageDemo} runs it in the demo.
 */
@NullMarked
package dev.kappa.examples.networkusage;

import org.jspecify.annotations.NullMarked;
