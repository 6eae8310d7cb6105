/**
 * The scenarios, one class each, and {@link dev.kappa.benchmarks.scenarios.Scenarios#all()} that
 * lists them in the order of the report.
 */
@NullMarked
package dev.kappa.benchmarks.scenarios;

import org.jspecify.annotations.NullMarked;
