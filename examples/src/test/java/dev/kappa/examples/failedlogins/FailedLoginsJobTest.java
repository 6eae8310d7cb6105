package dev.kappa.examples.failedlogins;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-logins job on hand-made input: the edges of the threshold, of the 10 minutes and of a
 * breach. Times are offsets from {@link #START} (10:00:00). Every input goes through one task, so
 * stream time is the latest failure of any IP; {@link #streamTimeTo} moves it with a failure of an
 * unrelated IP.
 */
class FailedLoginsJobTest {

  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private static final String ATTACKER = "203.0.113.7";
  private static final String SPRAYER = "203.0.113.99";
  private static final String BYSTANDER = "198.51.100.1";
  private static final List<String> ROOT = List.of("root");

  private JobTestDriver driver;
  private TestInputTopic<String, LoginAttempt> attempts;

  @BeforeEach
  void start() {
    driver = JobTestDriver.of(FailedLoginsJob.job(), START);
    attempts = driver.input(FailedLoginsJob.LOGIN_ATTEMPTS);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldNotAlertOnExactlyTenFailuresWithinTenMinutesNorCountSuccesses() {
    // 10 failures at 10:00, 10:01 ... 10:09, and 5 successful logins among them
    for (int minute = 0; minute < 10; minute++) {
      fail(ATTACKER, "root", START.plus(minutes(minute)));
      if (minute % 2 == 0) {
        succeed(ATTACKER, "ada", START.plus(minutes(minute)).plusSeconds(30));
      }
    }
    streamTimeTo(START.plus(minutes(30)));

    assertThat(alerts()).isEmpty();
    assertThat(overNow()).isEmpty();
    assertThat(mostFailuresInTenMinutes(ATTACKER)).isEqualTo(10);
  }

  @Test
  void shouldAlertOnceWhenTheEleventhFailureComesWithinTenMinutes() {
    // failures at 0 s, 1 s ... 9 s: ten, under the threshold
    failures(ATTACKER, 10, START, Duration.ofSeconds(1));
    assertThat(alerts()).isEmpty();

    // the eleventh, at 10 s: over from now until 10:10:00, when the failure at 0 s leaves the
    // window
    fail(ATTACKER, "root", START.plusSeconds(10));

    assertThat(alerts()).containsExactly(new LoginAlert(ATTACKER, START.plusSeconds(10), 11, ROOT));
    assertThat(overNow())
        .containsExactly(
            Map.entry(
                ATTACKER,
                new Breach(ATTACKER, START.plusSeconds(10), START.plus(minutes(10)), 11, ROOT)));
  }

  @Test
  void shouldCountElevenFailuresTenMinutesApartButNotTenMinutesAndAMillisecondApart() {
    // ATTACKER: 10:00:00, 10:01 ... 10:10:00, first to last exactly 10 minutes: one window holds 11
    // SPRAYER:  10:00:00, 10:01 ... 10:09, then 10:10:00.001: no 10 minutes hold more than 10
    for (int minute = 0; minute <= 10; minute++) {
      Instant time = START.plus(minutes(minute));
      fail(ATTACKER, "root", time);
      fail(SPRAYER, "root", minute == 10 ? time.plusMillis(1) : time);
    }

    assertThat(alerts())
        .containsExactly(new LoginAlert(ATTACKER, START.plus(minutes(10)), 11, ROOT));
    assertThat(mostFailuresInTenMinutes(SPRAYER)).isEqualTo(10);
  }

  @Test
  void shouldCatchABurstThatTumblingWindowsSplitAtTheirBoundary() {
    // tumbling 10:00-10:10 | 10:10-10:20
    //   10:07 ... 10:09 (5) | 10:10 ... 10:12:30 (6): 11 within 5.5 minutes, no tumbling window
    //   holds more than 6
    failures(ATTACKER, 5, START.plus(minutes(7)), Duration.ofSeconds(30));
    failures(ATTACKER, 6, START.plus(minutes(10)), Duration.ofSeconds(30));

    assertThat(alerts())
        .containsExactly(
            new LoginAlert(ATTACKER, START.plus(minutes(12)).plusSeconds(30), 11, ROOT));
  }

  @Test
  void shouldCatchABurstThatHoppingWindowsAdvancingByAMinuteMiss() {
    // 11 failures a minute apart from 10:00:30 to 10:10:30. Hopping 10-minute windows from
    // 10:00 and from 10:01 each hold 10; the sliding window [10:00:30, 10:10:30] holds 11.
    failures(ATTACKER, 11, START.plusSeconds(30), minutes(1));

    assertThat(alerts())
        .containsExactly(
            new LoginAlert(ATTACKER, START.plus(minutes(10)).plusSeconds(30), 11, ROOT));
  }

  @Test
  void shouldRaiseOneAlertForABurstThatGoesOn() {
    // a failure every 30 s from 10:00 to 10:20 (41): over from the 11th, at 10:05, on
    failures(ATTACKER, 41, START, Duration.ofSeconds(30));

    assertThat(alerts())
        .containsExactly(new LoginAlert(ATTACKER, START.plus(minutes(5)), 11, ROOT));
    // the 11 latest failures, 10:15 ... 10:20, keep it over until 10:25; at most 21 in 10 minutes
    assertThat(overNow())
        .containsExactly(
            Map.entry(
                ATTACKER,
                new Breach(ATTACKER, START.plus(minutes(5)), START.plus(minutes(25)), 21, ROOT)));
    assertNothingDropped();
  }

  @Test
  void shouldTakeAnIpOutOfTheTableOnceItsWindowHasPassed() {
    failures(ATTACKER, 11, START, Duration.ofSeconds(1)); // over until 10:10:00

    streamTimeTo(START.plus(minutes(10)));
    assertThat(overNow()).containsOnlyKeys(ATTACKER);

    streamTimeTo(START.plus(minutes(10)).plusMillis(1));
    assertThat(overNow()).isEmpty();
    assertThat(alerts()).hasSize(1);
  }

  @Test
  void shouldKeepOneBreachForAnIpThatIsOverAgainTheVeryNextMillisecond() {
    // 0 s ... 10 s: over until 10:10:00. At 10:10:00.001 the failures from 1 s to 10 s and a new
    // one make 11 within 10 minutes: over without a break, the same breach.
    failures(ATTACKER, 11, START, Duration.ofSeconds(1));
    failures(ATTACKER, 11, START.plus(minutes(10)).plusMillis(1), Duration.ZERO);

    assertThat(alerts()).containsExactly(new LoginAlert(ATTACKER, START.plusSeconds(10), 11, ROOT));
    // 1 s ... 10 s and the 11 at 10:10:00.001 make 21; those 11 keep it over until 10:20:00.001
    assertThat(overNow())
        .containsExactly(
            Map.entry(
                ATTACKER,
                new Breach(
                    ATTACKER,
                    START.plusSeconds(10),
                    START.plus(minutes(20)).plusMillis(1),
                    21,
                    ROOT)));
    assertNothingDropped();
  }

  @Test
  void shouldAlertAgainWhenTheIpGoesOverAfterAMillisecondUnderTheThreshold() {
    // 0 s ... 10 s: over until 10:10:00. At 10:10:00.001 only 1 s ... 10 s remain: 10, under.
    // At 10:10:00.002 they and a new failure make 11: a new breach.
    failures(ATTACKER, 11, START, Duration.ofSeconds(1));
    failures(ATTACKER, 11, START.plus(minutes(10)).plusMillis(2), Duration.ZERO);

    assertThat(alerts())
        .containsExactly(
            new LoginAlert(ATTACKER, START.plusSeconds(10), 11, ROOT),
            new LoginAlert(ATTACKER, START.plus(minutes(10)).plusMillis(2), 11, ROOT));
    assertNothingDropped();
  }

  @Test
  void shouldCountAFailureThatArrivesLateWithinTheGracePeriod() {
    // 1 s ... 10 s, then the bystander's failure at 20 s moves stream time; the failure at 0 s
    // arrives 20 s late (grace 30 s) and makes 11 within 10 minutes up to 10 s.
    failures(ATTACKER, 10, START.plusSeconds(1), Duration.ofSeconds(1));
    streamTimeTo(START.plusSeconds(20));
    assertThat(alerts()).isEmpty();

    fail(ATTACKER, "root", START);

    assertThat(alerts()).containsExactly(new LoginAlert(ATTACKER, START.plusSeconds(10), 11, ROOT));
    assertThat(overNow().get(ATTACKER).until()).isEqualTo(START.plus(minutes(10)));
    assertThat(driver.droppedRecords()).isZero();
  }

  @Test
  void shouldSendInvalidAttemptsToTheDeadLetterTopicWithTheReason() {
    TestInputTopic<byte[], byte[]> raw = driver.rawInput(FailedLoginsJob.LOGIN_ATTEMPTS);
    raw.pipeInput(bytes(ATTACKER), bytes("{\"ip\":\"203.0.113.7\",\"username\""), START);
    attempts.pipeInput(ATTACKER, new LoginAttempt(ATTACKER, " ", false, START), START);
    attempts.pipeInput(ATTACKER, new LoginAttempt(ATTACKER, "root", null, START), START);
    attempts.pipeInput(ATTACKER, new LoginAttempt(SPRAYER, "root", false, START), START);
    fail(ATTACKER, "root", START);

    List<DeadLetter> letters = driver.deadLetters();

    assertThat(letters)
        .extracting(DeadLetter::message)
        .containsExactly(
            "Cannot read a LoginAttempt from topic 'login-attempts': Unexpected end-of-input"
                + " within/between Object entries at line 1, column 31",
            "Record rejected by 'valid-attempts': the username is missing",
            "Record rejected by 'valid-attempts': succeeded is missing",
            "Record rejected by 'valid-attempts': the key '203.0.113.7' is not the attempt's ip"
                + " '203.0.113.99'");
    assertThat(letters).extracting(DeadLetter::sourceTopic).containsOnly("login-attempts");
    assertThat(mostFailuresInTenMinutes(ATTACKER)).isEqualTo(1);
  }

  @Test
  void shouldAlertOnManyAccountsTriedFromOneIpButNotOnOneAccountInV2() {
    // ATTACKER fails on root 11 times (0 s ... 10 s); SPRAYER fails once on each of 11 accounts
    // (20 s ... 30 s).
    List<String> accounts =
        IntStream.rangeClosed(0, 10).mapToObj(i -> "user-%02d".formatted(i)).toList();
    try (JobTestDriver v2 = JobTestDriver.of(FailedLoginsJob.v2(), START)) {
      for (JobTestDriver each : List.of(driver, v2)) {
        TestInputTopic<String, LoginAttempt> input = each.input(FailedLoginsJob.LOGIN_ATTEMPTS);
        for (int i = 0; i <= 10; i++) {
          Instant time = START.plusSeconds(i);
          input.pipeInput(ATTACKER, new LoginAttempt(ATTACKER, "root", false, time), time);
        }
        for (int i = 0; i <= 10; i++) {
          Instant time = START.plusSeconds(20 + i);
          input.pipeInput(SPRAYER, new LoginAttempt(SPRAYER, accounts.get(i), false, time), time);
        }
      }

      assertThat(alerts())
          .containsExactly(
              new LoginAlert(ATTACKER, START.plusSeconds(10), 11, ROOT),
              new LoginAlert(SPRAYER, START.plusSeconds(30), 11, accounts));
      assertThat(v2.output(FailedLoginsJob.ALERTS).readValuesToList())
          .containsExactly(new LoginAlert(SPRAYER, START.plusSeconds(30), 11, accounts));
      assertThat(overNow(v2)).containsOnlyKeys(SPRAYER);
    }
  }

  @Test
  void shouldBuildBothVersionsUnderTheSameJobTableAndSinkNames() {
    assertThat(FailedLoginsJob.v2().name()).isEqualTo(FailedLoginsJob.job().name());
    assertThat(FailedLoginsJob.v2().servingTables())
        .containsExactlyElementsOf(FailedLoginsJob.job().servingTables());
    assertThat(FailedLoginsJob.v2().sinks())
        .containsExactlyElementsOf(FailedLoginsJob.job().sinks());
  }

  /** No record was dead-lettered or dropped: a failing step would drop the records it fails on. */
  private void assertNothingDropped() {
    assertThat(driver.deadLetterCount()).isZero();
    assertThat(driver.droppedRecords()).isZero();
  }

  private static Duration minutes(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  /** {@code count} failures of {@code ip} on root, {@code step} apart from {@code from}. */
  private void failures(String ip, int count, Instant from, Duration step) {
    for (int i = 0; i < count; i++) {
      fail(ip, "root", from.plus(step.multipliedBy(i)));
    }
  }

  private void fail(String ip, String user, Instant time) {
    attempts.pipeInput(ip, new LoginAttempt(ip, user, false, time), time);
  }

  private void succeed(String ip, String user, Instant time) {
    attempts.pipeInput(ip, new LoginAttempt(ip, user, true, time), time);
  }

  /** Moves stream time to {@code time} with a single failure of an IP that is never over. */
  private void streamTimeTo(Instant time) {
    fail(BYSTANDER, "guest", time);
  }

  private List<LoginAlert> alerts() {
    return driver.output(FailedLoginsJob.ALERTS).readValuesToList();
  }

  private Map<String, Breach> overNow() {
    return overNow(driver);
  }

  private static Map<String, Breach> overNow(JobTestDriver driver) {
    Map<String, Breach> rows = new TreeMap<>();
    try (KeyValueIterator<String, ValueAndTimestamp<Breach>> all =
        driver.keyValueStore(FailedLoginsJob.IPS_OVER_THRESHOLD).all()) {
      all.forEachRemaining(row -> rows.put(row.key, row.value.value()));
    }
    return rows;
  }

  private long mostFailuresInTenMinutes(String ip) {
    List<KeyValue<Windowed<String>, ValueAndTimestamp<FailedLogins>>> windows = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<FailedLogins>> all =
        driver.windowStore(FailedLoginsJob.FAILED_LOGINS_BY_IP).all()) {
      all.forEachRemaining(windows::add);
    }
    return windows.stream()
        .filter(window -> window.key.key().equals(ip))
        .mapToLong(window -> window.value.value().failures())
        .max()
        .orElse(0);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
