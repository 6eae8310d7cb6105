/**
 * Queries over serving tables by their logical name, answered from the active version of a job (or
 * a version asked for by number), with where a key lives for a router.
 */
@NullMarked
package dev.kappa.reprocessing.query;

import org.jspecify.annotations.NullMarked;
