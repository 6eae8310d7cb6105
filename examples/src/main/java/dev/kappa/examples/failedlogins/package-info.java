/**
 * The failed-logins example: {@link dev.kappa.examples.failedlogins.FailedLoginsJob} counts the
 * failed logins of each IP address in sliding 10-minute windows, raises one alert per breach of the
 * threshold and serves the IPs over it now; its second version counts distinct accounts instead.
 * {@link dev.kappa.examples.failedlogins.FailedLoginsVersions} puts both versions into the Kappa
 * service.
 */
@NullMarked
package dev.kappa.examples.failedlogins;

import org.jspecify.annotations.NullMarked;
