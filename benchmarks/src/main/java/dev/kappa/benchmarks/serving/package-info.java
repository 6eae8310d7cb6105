/**
 * Serving benchmarks: {@link dev.kappa.benchmarks.serving.QueryLoad} sends key queries to running
 * instances of the service from several threads and reports their latency, answered locally or
 * forwarded; {@link dev.kappa.benchmarks.serving.SwapUnderLoad} (scenario 8) runs two instances in
 * this process, swaps a job to a new version under that load and reports what the callers saw. They
 * measure answers, not commits, so they are not {@link dev.kappa.benchmarks.Scenario}s. See {@code
 * BENCHMARKS.md}.
 */
@NullMarked
package dev.kappa.benchmarks.serving;

import org.jspecify.annotations.NullMarked;
