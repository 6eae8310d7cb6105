/**
 * The one generated workload every scenario reads: network-usage readings from a seeded generator,
 * preloaded into retained topics before anything is measured.
 */
@NullMarked
package dev.kappa.benchmarks.workload;

import org.jspecify.annotations.NullMarked;
