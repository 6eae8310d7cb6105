/**
 * Queries over serving tables over HTTP, routed to the instance that holds each key and merged
 * across instances for ranges.
 */
package dev.kappa.api.query;
