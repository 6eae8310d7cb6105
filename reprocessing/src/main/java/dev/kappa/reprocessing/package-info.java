/**
 * Versions of a job and the loop that changes them: start a new version that replays the retained
 * log beside the serving one, watch its progress until it has caught up, swap every instance to it,
 * roll back if needed, and retire the old version with everything it owns.
 *
 * <p>{@link dev.kappa.reprocessing.JobVersion} derives every name a version owns; {@link
 * dev.kappa.reprocessing.JobHost} runs the versions the registry lists on one instance.
 */
@NullMarked
package dev.kappa.reprocessing;

import org.jspecify.annotations.NullMarked;
