/**
 * The page-hits example: {@link dev.kappa.examples.pagehits.PageHitsJob} counts web page views per
 * user and page since the start, per page and hour, and ranks the top pages of each hour; its
 * second version leaves out known bots. {@link dev.kappa.examples.pagehits.PageHitsVersions} puts
 * both versions into the Kappa service.
 */
@NullMarked
package dev.kappa.examples.pagehits;

import org.jspecify.annotations.NullMarked;
