package dev.kappa.examples.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kappa.examples.failedlogins.Breach;
import dev.kappa.examples.failedlogins.FailedLoginsJob;
import dev.kappa.examples.failedlogins.LoginAttempt;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.StoreNotReadyException;
import dev.kappa.serde.JsonSerde;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;

/**
 * The failed-logins job in the demo: logins from many addresses, a few of them failing (a mistyped
 * password), and every minute {@value #ATTACKERS} new attacking addresses in {@code 203.0.113.0/24}
 * that fail about {@value #ATTACK_FAILURES_PER_MINUTE} times a minute each: half of them spray
 * passwords over many accounts, half retry one account. v1 alerts on both kinds; v2, which counts
 * distinct accounts, only on the sprayers. A few attempts are malformed. It prints the addresses
 * over the threshold now and the alerts raised so far.
 */
final class FailedLoginsWorkload implements DemoWorkload {

  /** New attackers each minute: the first half spray accounts, the second half retry one. */
  static final int ATTACKERS = 4;

  static final int ATTACK_FAILURES_PER_MINUTE = 90;

  /** The share of ordinary logins that fail: a mistyped password. */
  static final double MISTYPED_SHARE = 0.05;

  static final double MALFORMED_SHARE = 0.002;

  /** The prefix of the attackers' addresses, a range reserved for documentation (RFC 5737). */
  static final String ATTACKER_PREFIX = "203.0.113.";

  private static final int IPS_PER_UNIT_OF_RATE = 100;
  private static final int SHOWN = 5;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final SplittableRandom random;
  private final JsonSerde<LoginAttempt> attempts = JsonSerde.of(LoginAttempt.class);
  private final int ips;
  private final double attackShare;

  FailedLoginsWorkload(DemoOptions options) {
    this.random = new SplittableRandom(options.seed);
    // Enough addresses that an ordinary one fails about once in 10 minutes, far from the threshold.
    this.ips = options.rate * IPS_PER_UNIT_OF_RATE;
    this.attackShare = Math.min(0.5, ATTACKERS * ATTACK_FAILURES_PER_MINUTE / 60.0 / options.rate);
  }

  @Override
  public String job() {
    return FailedLoginsJob.NAME;
  }

  @Override
  public List<String> sourceTopics() {
    return List.of(FailedLoginsJob.LOGIN_ATTEMPTS.topic());
  }

  @Override
  public String describeRate(int rate) {
    return rate
        + " login attempts/s from "
        + ips
        + " addresses, "
        + ATTACKERS
        + " new attackers a minute";
  }

  @Override
  public List<ProducerRecord<String, byte[]>> next(Instant clock) {
    Instant time = clock.minusMillis(random.nextInt(1_000));
    LoginAttempt attempt;
    if (random.nextDouble() < attackShare) {
      // The attackers of this minute: their addresses change as the minutes pass.
      long minute = clock.getEpochSecond() / 60;
      int attacker = random.nextInt(ATTACKERS);
      String ip = ATTACKER_PREFIX + (1 + (minute * ATTACKERS + attacker) % 250);
      String username =
          attacker < ATTACKERS / 2 ? String.format("user-%05d", random.nextInt(100_000)) : "admin";
      attempt = new LoginAttempt(ip, username, false, time);
    } else {
      int ip = random.nextInt(ips);
      attempt =
          new LoginAttempt(
              String.format("10.%d.%d.%d", ip >> 16 & 255, ip >> 8 & 255, ip & 255),
              String.format("user-%05d", random.nextInt(100_000)),
              random.nextDouble() >= MISTYPED_SHARE,
              time);
    }
    if (random.nextDouble() < MALFORMED_SHARE) {
      return List.of(malformed(attempt, clock));
    }
    return List.of(record(attempt.ip(), attempts.serialize("", attempt), time));
  }

  private ProducerRecord<String, byte[]> malformed(LoginAttempt attempt, Instant clock) {
    String ip = attempt.ip();
    byte[] value =
        switch (random.nextInt(4)) {
          case 0 -> ("{\"ip\":\"" + ip + "\",\"username\":").getBytes(UTF_8);
          case 1 -> attempts.serialize("", new LoginAttempt(ip, null, false, attempt.time()));
          case 2 -> attempts.serialize("", new LoginAttempt(ip, attempt.username(), null, null));
          default ->
              attempts.serialize(
                  "", new LoginAttempt("192.0.2.1", attempt.username(), false, attempt.time()));
        };
    return record(ip, value, clock);
  }

  private static ProducerRecord<String, byte[]> record(String key, byte[] value, Instant time) {
    return new ProducerRecord<>(
        FailedLoginsJob.LOGIN_ATTEMPTS.topic(), null, time.toEpochMilli(), key, value);
  }

  @Override
  public void printTables(DemoServices services, PrintStream out, boolean besideV1) {
    Answer<List<KeyValue<String, Breach>>> over;
    try {
      over =
          services.range(
              FailedLoginsJob.NAME,
              FailedLoginsJob.IPS_OVER_THRESHOLD,
              null,
              null,
              OptionalInt.empty());
    } catch (StoreNotReadyException e) {
      out.println("no answers yet: " + e.getMessage());
      return;
    }
    JobVersion active = over.version();
    StringBuilder alerts = new StringBuilder();
    for (int number : besideV1 ? List.of(2, 1) : List.of(active.number())) {
      JobVersion version = JobVersion.of(FailedLoginsJob.NAME, number);
      long raised = services.records(version.naming().outputTopic(FailedLoginsJob.ALERTS.name()));
      alerts.append(alerts.isEmpty() ? "" : ", ").append("v" + number + " " + raised);
    }
    out.printf(
        "%d address%s over the threshold now, from %s; alerts so far: %s%n",
        over.value().size(), over.value().size() == 1 ? "" : "es", active, alerts);
    over.value().stream()
        .map(row -> row.value)
        .sorted(Comparator.comparing(Breach::since).reversed())
        .limit(SHOWN)
        .forEach(
            breach ->
                out.printf(
                    "  %-15s over since %s, %3d failures in 10 min, %s%n",
                    breach.ip(),
                    TIME.format(breach.since()),
                    breach.failures(),
                    breach.users().size() > FailedLoginsJob.THRESHOLD
                        ? "more than " + FailedLoginsJob.THRESHOLD + " accounts"
                        : breach.users().size() == 1
                            ? "one account, '" + breach.users().get(0) + "'"
                            : breach.users().size() + " accounts"));
  }

  @Override
  public List<DemoUrls.Url> urls(String a, String b) {
    String tables = "/jobs/" + FailedLoginsJob.NAME + "/tables/";
    Instant now = Instant.now();
    return List.of(
        new DemoUrls.Url(
            "addresses over the threshold",
            a + tables + FailedLoginsJob.IPS_OVER_THRESHOLD.name() + "/keys"),
        new DemoUrls.Url(
            "an attacker's 10 minutes",
            b
                + tables
                + FailedLoginsJob.FAILED_LOGINS_BY_IP.name()
                + "/keys/"
                + ATTACKER_PREFIX
                + (1 + (now.getEpochSecond() / 60 * ATTACKERS) % 250)
                + "/windows?from="
                + now.minus(Duration.ofMinutes(10))
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                + "&to="
                + now.plus(Duration.ofMinutes(10))
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)),
        new DemoUrls.Url(
            "every address's windows",
            a + tables + FailedLoginsJob.FAILED_LOGINS_BY_IP.name() + "/windows?limit=20"));
  }
}
