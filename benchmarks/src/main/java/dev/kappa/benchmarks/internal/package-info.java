/**
 * How the harness measures: the runner that times one run from its first record read to its last
 * commit, the process that runs it, the broker process, the workload's topics and the report.
 */
@NullMarked
package dev.kappa.benchmarks.internal;

import org.jspecify.annotations.NullMarked;
