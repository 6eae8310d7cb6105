/**
 * The registry of job versions: commands (started, caught up, swapped, rolled back, retired) kept
 * on a compacted Kafka topic and folded by every instance into the same state.
 */
@NullMarked
package dev.kappa.reprocessing.registry;

import org.jspecify.annotations.NullMarked;
