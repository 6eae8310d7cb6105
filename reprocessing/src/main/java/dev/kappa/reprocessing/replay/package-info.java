/**
 * Replay of the retained log by a new version: the retention check before it starts, and its
 * progress towards the end offsets of its sources.
 */
@NullMarked
package dev.kappa.reprocessing.replay;

import org.jspecify.annotations.NullMarked;
