/** The job host of a service instance: which jobs it serves, started with the HTTP server. */
package dev.kappa.api.host;
