/**
 * The dead letters of a job version, read back and sent again: {@link
 * dev.kappa.reprocessing.deadletter.DeadLetters} lists the newest letters of a version's
 * dead-letter topic and re-drives chosen ones to their source topic, each at most once, however
 * many callers, instances and restarts.
 */
@NullMarked
package dev.kappa.reprocessing.deadletter;

import org.jspecify.annotations.NullMarked;
