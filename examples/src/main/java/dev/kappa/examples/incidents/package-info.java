/**
 * The correlated-streams example: {@link dev.kappa.examples.incidents.IncidentsJob} joins high-wind
 * readings with the emergency calls of their area in the 10 minutes after them, across disorder
 * between the two streams, into a serving table of incidents.
 */
@NullMarked
package dev.kappa.examples.incidents;

import org.jspecify.annotations.NullMarked;
