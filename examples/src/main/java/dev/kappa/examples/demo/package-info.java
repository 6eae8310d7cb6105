/**
 * The demo behind {@code ./demo}: the reprocessing loop of one example job on generated records,
 * served over HTTP by two instances of the Kappa service in one JVM. {@link
 * dev.kappa.examples.demo.KappaDemo} runs the loop, the same for every job; a {@link
 * dev.kappa.examples.demo.DemoWorkload} per job ({@code --job}) generates its records, prints its
 * serving tables and names the URLs worth asking.
 */
@NullMarked
package dev.kappa.examples.demo;

import org.jspecify.annotations.NullMarked;
