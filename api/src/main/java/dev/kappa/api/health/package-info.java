/** Liveness and readiness of a service instance. */
package dev.kappa.api.health;
