/** Implementation of the topology module; not part of the API. */
@NullMarked
package dev.kappa.topology.internal;

import org.jspecify.annotations.NullMarked;
