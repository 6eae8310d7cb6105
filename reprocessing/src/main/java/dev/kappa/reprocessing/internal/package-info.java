/**
 * How a host runs versions: one Kafka Streams instance per version with its paced consumer, and the
 * measurement of its progress.
 */
@NullMarked
package dev.kappa.reprocessing.internal;

import org.jspecify.annotations.NullMarked;
