/** Calls between instances of the service, authenticated with the peer token. */
package dev.kappa.api.peer;
