/**
 * The web console at {@code /console/}: static HTML, CSS and JavaScript under {@code
 * resources/console} (served by Micronaut's static resources) that call the service's HTTP API from
 * the browser. The admin token is typed into the page for each session and never stored.
 */
package dev.kappa.api.console;
