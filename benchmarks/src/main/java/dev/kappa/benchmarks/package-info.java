/**
 * The benchmark harness: {@link dev.kappa.benchmarks.Bench} preloads one generated workload and
 * measures each {@link dev.kappa.benchmarks.Scenario} over it, several times and interleaved, as
 * ratios against a raw consumer-producer copy measured in the same run. See {@code BENCHMARKS.md}.
 */
@NullMarked
package dev.kappa.benchmarks;

import org.jspecify.annotations.NullMarked;
