/** How {@link dev.kappa.serde.JsonSerde} reads what it reads often, quickly. Not API. */
@NullMarked
package dev.kappa.serde.internal;

import org.jspecify.annotations.NullMarked;
