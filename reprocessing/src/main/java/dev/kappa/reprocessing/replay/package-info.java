/**
 * Replay of the retained log by a new version: the retention check before it starts, its progress
 * towards the end offsets of its sources, and how it is aligned by event time.
 */
@NullMarked
package dev.kappa.reprocessing.replay;

import org.jspecify.annotations.NullMarked;
