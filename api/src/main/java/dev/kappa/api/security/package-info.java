/**
 * Who may call what: admin tokens and users for admin operations, the peer token between instances,
 * and open or authenticated reads.
 */
package dev.kappa.api.security;
