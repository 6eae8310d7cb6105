/** Errors as {@code application/problem+json}: what failed, and what to send instead. */
package dev.kappa.api.problem;
