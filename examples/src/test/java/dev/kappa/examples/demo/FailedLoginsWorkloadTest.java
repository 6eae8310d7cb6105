package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.WorkloadRecords.closeTo;
import static dev.kappa.examples.demo.WorkloadRecords.generate;
import static dev.kappa.examples.demo.WorkloadRecords.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.examples.failedlogins.FailedLoginsJob;
import dev.kappa.examples.failedlogins.LoginAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class FailedLoginsWorkloadTest {

  // A minute at 1,000 attempts/s.
  private final FailedLoginsWorkload workload =
      new FailedLoginsWorkload(
          DemoOptions.parse(new String[] {"--job", "failed-logins", "--rate", "1000"}));
  private final List<ProducerRecord<String, byte[]>> records =
      generate(workload, 60_000).stream().toList();

  @Test
  void shouldProduceValidAttemptsOfNowAndAFewBadOnes() {
    long bad =
        records.stream()
            .filter(
                r ->
                    problem(r, FailedLoginsJob.LOGIN_ATTEMPTS.values(), FailedLoginsJob::problem)
                        .isPresent())
            .count();

    assertThat(records).hasSize(60_000);
    assertThat(records).allMatch(r -> closeTo(r, Duration.ofSeconds(1)));
    // 0.2 % malformed: about 120 of 60,000.
    assertThat(bad).isBetween(60L, 200L);
  }

  @Test
  void shouldTakeTheAttackersOverTheThresholdAndNobodyElse() {
    Map<String, List<LoginAttempt>> failuresByIp =
        valid().stream()
            .filter(attempt -> !attempt.succeeded())
            .collect(Collectors.groupingBy(LoginAttempt::ip));
    Set<String> over =
        failuresByIp.entrySet().stream()
            .filter(e -> e.getValue().size() > FailedLoginsJob.THRESHOLD)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());

    // All the attempts fall in one minute (START is on the minute): its attackers, and only they.
    assertThat(over)
        .hasSize(FailedLoginsWorkload.ATTACKERS)
        .allMatch(ip -> ip.startsWith(FailedLoginsWorkload.ATTACKER_PREFIX));
    // Half spray many accounts (v2 alerts on them), half retry one (only v1 does).
    Map<String, Long> accounts =
        over.stream()
            .collect(
                Collectors.toMap(
                    ip -> ip,
                    ip ->
                        failuresByIp.get(ip).stream()
                            .map(LoginAttempt::username)
                            .distinct()
                            .count()));
    assertThat(accounts.values().stream().filter(n -> n > FailedLoginsJob.THRESHOLD))
        .hasSize(FailedLoginsWorkload.ATTACKERS / 2);
    assertThat(accounts.values().stream().filter(n -> n == 1))
        .hasSize(FailedLoginsWorkload.ATTACKERS / 2);
  }

  private List<LoginAttempt> valid() {
    return records.stream()
        .filter(
            r ->
                problem(r, FailedLoginsJob.LOGIN_ATTEMPTS.values(), FailedLoginsJob::problem)
                    .isEmpty())
        .map(
            r ->
                FailedLoginsJob.LOGIN_ATTEMPTS
                    .values()
                    .serde()
                    .deserializer()
                    .deserialize("", r.value()))
        .toList();
  }
}
