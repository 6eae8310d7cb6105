/** The serving layer and the Micronaut service. */
package dev.kappa.api;
