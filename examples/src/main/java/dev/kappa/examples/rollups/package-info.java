/**
 * The time-rollups example: {@link dev.kappa.examples.rollups.RollupsJob} sums the energy each
 * smart meter uses per minute and rolls it up to hours, days and calendar months, each level a
 * serving table with its own retention.
 */
@NullMarked
package dev.kappa.examples.rollups;

import org.jspecify.annotations.NullMarked;
