/** The jobs and their versions over HTTP: listing, and the admin operations of the loop. */
package dev.kappa.api.admin;
