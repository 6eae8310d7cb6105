package dev.kappa.benchmarks.scenarios;

import dev.kappa.examples.networkusage.UsageEvent;

/**
 * Two readings of one customer within the join window of each other, one from each side.
 *
 * @param even the reading from the even positions
 * @param odd the reading from the odd positions
 */
public record UsagePair(UsageEvent even, UsageEvent odd) {}
