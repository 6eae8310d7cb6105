package dev.kappa.examples.incidents;

/**
 * A high-wind reading and an emergency call from its area within the following 10 minutes: one
 * result of the join.
 *
 * @param wind the high-wind reading
 * @param call the call
 */
public record CallAfterWind(WindReading wind, EmergencyCall call) {}
