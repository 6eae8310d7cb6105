/**
 * Pacing of a replay: the stream threads' consumer releases the records of the source partitions in
 * about the order they were appended, so that event time cannot run ahead on one partition.
 */
@NullMarked
package dev.kappa.reprocessing.replay.internal;

import org.jspecify.annotations.NullMarked;
