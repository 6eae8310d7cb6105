package dev.kappa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kappa.api.MeterReadings.Reading;
import dev.kappa.api.MeterReadings.Total;
import dev.kappa.api.ServiceInstance.Reply;
import dev.kappa.embedded.EmbeddedKafkaExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser, Debian's headless Chromium driven by Selenium, against two
 * instances of the service: the reprocessing loop from the page. v1 is shown active; the admin
 * token typed into the page starts v2, whose progress bar moves until it has caught up; the
 * comparison of v1 and v2 shows exactly the differences v2's change of logic means (it counts only
 * readings of at least 500 bytes); the page swaps to v2 and rolls back to v1; a dead letter is
 * fixed and re-driven once. Screenshots of each step go to {@code target/console-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  private static final Duration TIMEOUT = ServicePair.TIMEOUT;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** About 4 readings a meter: most meters differ between the versions, some do not. */
  private static final Readings MIXED = new Readings(3_000, 800, 13);

  /** Many readings of a few meters, so that v2's replay takes seconds and its progress shows. */
  private static final Readings BULK = new Readings(20_000, 4, 14);

  /** The readings, the bad one and the rest: what v2 replays. */
  private static final int RECORDS = MIXED.all().size() + 1 + BULK.all().size();

  /** A reading the job cannot count (negative bytes): it goes to the dead letters. */
  private static final Reading BAD =
      new Reading("m-999", "site-0", 0, -5, Readings.START.plusSeconds(60));

  /** The bad reading fixed, re-driven from the console. */
  private static final Reading FIXED =
      new Reading("m-999", "site-0", 0, 600, Readings.START.plusSeconds(60));

  private static ServicePair pair;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void startTheServiceAndTheBrowser() throws Exception {
    assertThat(CHROMIUM)
        .as("Chromium, for the browser test: install Debian's chromium and chromium-driver")
        .isExecutable();
    assertThat(CHROMEDRIVER)
        .as("chromedriver, for the browser test: install Debian's chromium-driver")
        .isExecutable();
    pair = ServicePair.serving(kafka, "console", MIXED);
    produce(BAD);
    BULK.produce(kafka.bootstrapServers());
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(served(pair.a())).isEqualTo(byMeter(0)));
    Files.createDirectories(SCREENSHOTS);
    browser = chromium();
    wait = new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(100));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  @Order(1)
  void shouldDriveTheReprocessingLoopFromTheConsole() throws Exception {
    ServiceInstance a = pair.a();
    browser.get("http://" + a.name() + "/console");

    // The page shows v1, active, and its topology, drawn from the topology endpoint.
    wait.until(ExpectedConditions.textToBe(By.id("active-version"), "Active: v1"));
    assertThat(cellText(1, 2)).isEqualTo("caught up");
    assertThat(cellText(1, 3)).isEqualTo("active");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#topology svg")));
    assertThat(drawnNodes()).isEqualTo(nodeNames(a.get("/jobs/meters/versions/1/topology")));
    assertThat(browser.findElement(By.id("progress-note")).getText())
        .contains("Type the admin token");
    screenshot("1-v1-active");

    // Starting v2 needs the token: typed into the page, it starts v2.
    WebElement version = browser.findElement(By.id("start-version"));
    version.clear();
    version.sendKeys("2");
    browser.findElement(By.id("start")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "admin token"));
    browser.findElement(By.id("token")).sendKeys(ServiceInstance.ADMIN_TOKEN);
    browser.findElement(By.id("start")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("status"),
            String.format("Started v2 (meters-v2): it replays %,d records.", RECORDS)));
    assertThat(browser.findElement(By.id("error")).getText()).isEmpty();

    // v2's progress bar appears and moves until v2 has caught up.
    List<Long> seen = new ArrayList<>();
    boolean[] shotWhileReplaying = {false};
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<WebElement> bars = browser.findElements(By.id("progress-v2"));
              if (bars.isEmpty() || bars.get(0).getDomAttribute("max") == null) {
                return false;
              }
              long value = (long) Double.parseDouble(bars.get(0).getDomProperty("value"));
              long max = (long) Double.parseDouble(bars.get(0).getDomProperty("max"));
              assertThat(max).isEqualTo(RECORDS);
              if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                seen.add(value);
              }
              if (value < max && !shotWhileReplaying[0]) {
                screenshot("2-v2-replaying");
                shotWhileReplaying[0] = true;
              }
              return value == max
                  && browser
                      .findElement(By.cssSelector("label[for=progress-v2]"))
                      .getText()
                      .equals("v2 replay: caught up");
            });
    System.out.println("CONSOLE: v2's progress bar showed " + seen);
    assertThat(seen).as("the values the bar showed").hasSizeGreaterThan(1);
    assertThat(seen.get(0)).isLessThan(RECORDS);
    assertThat(seen).isSorted();
    assertThat(browser.findElement(By.id("progress-text-v2")).getText())
        .contains(
            String.format("%,d of %,d records (100 %%)", RECORDS, RECORDS), "done", "0 late drops");
    wait.until(driver -> "caught up".equals(cellText(2, 2)));
    screenshot("3-v2-caught-up");

    // The comparison of v1 and v2 shows the differences v2's logic means, and only those.
    Map<String, Total> first = byMeter(0);
    Map<String, Total> second = byMeter(MeterReadings.LARGE);
    new Select(browser.findElement(By.id("compare-first"))).selectByValue("1");
    new Select(browser.findElement(By.id("compare-second"))).selectByValue("2");
    new Select(browser.findElement(By.id("compare-table"))).selectByValue("totals-by-meter");
    WebElement limit = browser.findElement(By.id("compare-limit"));
    limit.clear();
    limit.sendKeys("20");
    browser.findElement(By.id("compare")).click();
    WebElement compared =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#comparison section[data-table='totals-by-meter']")));
    Set<String> equal = new TreeSet<>();
    Set<String> different = new TreeSet<>();
    Set<String> onlyInFirst = new TreeSet<>();
    first.forEach(
        (meter, total) ->
            (!second.containsKey(meter)
                    ? onlyInFirst
                    : second.get(meter).equals(total) ? equal : different)
                .add(meter));
    assertThat(equal).as("meters the test expects equal").isNotEmpty();
    assertThat(onlyInFirst).as("meters the test expects only in v1").isNotEmpty();
    assertThat(count(compared, "equal")).isEqualTo(equal.size());
    assertThat(count(compared, "different")).isEqualTo(different.size());
    assertThat(count(compared, "onlyInFirst")).isEqualTo(onlyInFirst.size());
    assertThat(count(compared, "onlyInSecond")).isZero();
    List<WebElement> rows = compared.findElements(By.cssSelector("tbody tr"));
    assertThat(rows).hasSize(20);
    for (WebElement row : rows) {
      String meter = row.getDomAttribute("data-key");
      assertThat(meter).isNotIn(equal);
      String kind = onlyInFirst.contains(meter) ? "ONLY_IN_FIRST" : "DIFFERENT";
      assertThat(row.getDomAttribute("data-kind")).as(meter).isEqualTo(kind);
      assertThat(totalIn(row, "first")).as(meter).isEqualTo(first.get(meter));
      assertThat(totalIn(row, "second")).as(meter).isEqualTo(second.get(meter));
    }
    screenshot("4-comparison");

    // Swap to v2 from the page: both instances answer from v2.
    browser.findElement(By.cssSelector("button[data-focus='swap-2']")).click();
    wait.until(ExpectedConditions.textToBe(By.id("active-version"), "Active: v2"));
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Swapped: v2 is active.");
    assertThat(cellText(2, 3)).isEqualTo("active");
    assertThat(cellText(1, 3)).isEqualTo("previous (rollback target)");
    assertThat(pair.b().get("/jobs/meters").json().get("active").asInt()).isEqualTo(2);
    screenshot("5-swapped");

    // Roll back from the page: v1 is active again.
    browser.findElement(By.id("rollback")).click();
    wait.until(ExpectedConditions.textToBe(By.id("active-version"), "Active: v1"));
    assertThat(browser.findElement(By.id("status")).getText())
        .isEqualTo("Rolled back: v1 is active.");
    assertThat(pair.b().get("/jobs/meters").json().get("active").asInt()).isEqualTo(1);
    screenshot("6-rolled-back");

    // A refused action shows the service's problem detail.
    version.clear();
    version.sendKeys("2");
    browser.findElement(By.id("start")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("error"), "it was started before and is CAUGHT_UP"));

    assertThatTheTokenWasNotKept();
    assertThatEveryFieldHasALabel();
  }

  @Test
  @Order(2)
  void shouldFixAndRedriveADeadLetterOnceFromTheConsole() throws Exception {
    ServiceInstance b = pair.b();
    browser.get("http://" + b.name() + "/console/");
    wait.until(ExpectedConditions.textToBe(By.id("active-version"), "Active: v1"));

    // v1's one dead letter: the reading with negative bytes, as text.
    new Select(browser.findElement(By.id("dead-letters-version"))).selectByValue("1");
    browser.findElement(By.id("dead-letters-load")).click();
    WebElement letter =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#dead-letters tbody tr")));
    assertThat(browser.findElements(By.cssSelector("#dead-letters tbody tr"))).hasSize(1);
    assertThat(browser.findElement(By.id("dead-letters-summary")).getText())
        .startsWith("1 dead letter(s) of v1 in meters-v1-dead-letters");
    assertThat(letter.getText()).contains("negative bytes", "m-999", "\"bytes\":-5", "no");

    // Re-driven with a fixed value, by an admin: v1 counts the fixed reading.
    browser.findElement(By.id("redrive")).click();
    wait.until(ExpectedConditions.textToBe(By.id("error"), "Select the dead letters to re-drive."));
    letter.findElement(By.cssSelector("input.letter-select")).click();
    letter.findElement(By.cssSelector("textarea.letter-fix")).sendKeys(text(FIXED));
    browser.findElement(By.id("token")).sendKeys(ServiceInstance.ADMIN_TOKEN);
    browser.findElement(By.id("redrive")).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("status"),
            java.util.regex.Pattern.compile(
                "Re-drove 1 dead letter\\(s\\): \\d+/\\d+ to meter-readings partition \\d+ offset"
                    + " \\d+\\.")));
    screenshot("7-dead-letter-redriven");
    WebElement redriven =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#dead-letters tbody tr")));
    assertThat(redriven.findElements(By.tagName("td")).get(7).getText()).isEqualTo("yes");
    Total fixed = new Total(1, FIXED.bytes());
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(served(b).get(FIXED.meter())).isEqualTo(fixed));

    // Sent once: a second re-drive of the same letter sends nothing.
    redriven.findElement(By.cssSelector("input.letter-select")).click();
    browser.findElement(By.id("redrive")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("status"), "Re-drove 0 dead letter(s). Already sent before, not sent again:"));
    assertThat(served(b).get(FIXED.meter())).isEqualTo(fixed);
    assertThatTheTokenWasNotKept();
    assertThatEveryFieldHasALabel();
  }

  /** The token was sent, never kept: not in the page, nor in the browser's storage. */
  private static void assertThatTheTokenWasNotKept() {
    assertThat(browser.getPageSource()).doesNotContain(ServiceInstance.ADMIN_TOKEN);
    assertThat(
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return localStorage.length + sessionStorage.length + document.cookie.length"))
        .isEqualTo(0L);
  }

  /** Every field of the page as it is now, the ones drawn by the script too, has a label. */
  private static void assertThatEveryFieldHasALabel() {
    assertThat(
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(field => field.labels.length === 0).map(field => field.id)"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .isEmpty();
  }

  @Test
  @Order(3)
  void shouldServeTheConsoleWithoutATokenAndEachFileWithItsType() {
    ServiceInstance a = pair.a();
    Reply bare = a.get("/console");
    assertThat(bare.status()).as(bare.toString()).isEqualTo(308);
    Reply page = a.get("/console/");
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<h1>Kappa console</h1>", "type=\"password\"");
    Reply script = a.get("/console/console.js");
    assertThat(script.status()).isEqualTo(200);
    // A module script of another type is refused by the browser.
    assertThat(script.contentType()).contains("javascript");
    assertThat(a.get("/console/console.css").contentType()).startsWith("text/css");
    assertThat(a.get("/console/no-such-file.js").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void shouldDescribeAVersionsTopologyAndRefuseAnUnknownVersion() {
    Reply topology = pair.a().get("/jobs/meters/versions/1/topology");
    assertThat(topology.status()).as(topology.toString()).isEqualTo(200);
    JsonNode json = topology.json();
    assertThat(json.get("applicationId").asText()).isEqualTo("meters-v1");
    // One sub-topology reads the readings; each re-keyed aggregation is one more, behind its
    // repartition topic.
    assertThat(json.get("subtopologies")).hasSize(4);
    JsonNode source = json.get("subtopologies").get(0).get("nodes").get(0);
    assertThat(source.get("kind").asText()).isEqualTo("source");
    assertThat(source.get("topics")).extracting(JsonNode::asText).containsExactly("meter-readings");
    JsonNode floors = json.get("subtopologies").get(1).get("nodes");
    assertThat(floors.get(0).get("topics"))
        .extracting(JsonNode::asText)
        .containsExactly("readings-by-floor-repartition");
    assertThat(floors.get(1).get("stores"))
        .extracting(JsonNode::asText)
        .containsExactly("totals-by-floor");

    Reply unknown = pair.a().get("/jobs/meters/versions/9/topology");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.json().get("detail").asText())
        .isEqualTo("Unknown version 9 of job 'meters'; the registry lists [1, 2]");
  }

  /** What the page logged: its errors explain a step that waits in vain. */
  @AfterEach
  void printTheBrowsersLog() {
    browser
        .manage()
        .logs()
        .get(LogType.BROWSER)
        .forEach(entry -> System.out.println("CONSOLE browser log: " + entry));
  }

  private static ChromeDriver chromium() throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    // The driver is Debian's, named here, so that Selenium Manager never downloads one.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void produce(Reading reading) throws Exception {
    try (KafkaProducer<String, Reading> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            MeterReadings.READINGS.values().serde().serializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  MeterReadings.READINGS.topic(),
                  null,
                  reading.timestamp().toEpochMilli(),
                  reading.meter(),
                  reading))
          .get();
    }
  }

  /** The totals of every meter, of the readings of at least {@code minimumBytes}. */
  private static Map<String, Total> byMeter(long minimumBytes) {
    Map<String, Total> totals = new TreeMap<>(MIXED.byMeter(minimumBytes));
    BULK.byMeter(minimumBytes)
        .forEach(
            (meter, total) ->
                totals.merge(
                    meter,
                    total,
                    (a, b) -> new Total(a.count() + b.count(), a.bytes() + b.bytes())));
    return totals;
  }

  /** What {@code instance} serves of the active version's totals by meter. */
  private static Map<String, Total> served(ServiceInstance instance) {
    Reply range = instance.get("/jobs/meters/tables/totals-by-meter/keys");
    assertThat(range.status()).as(range.toString()).isEqualTo(200);
    Map<String, Total> served = new TreeMap<>();
    range
        .json()
        .get("rows")
        .forEach(row -> served.put(row.get("key").asText(), ServingIT.totalOf(row.get("value"))));
    return served;
  }

  /** The text of column {@code column} (from 1) of version {@code version}'s row. */
  private static String cellText(int version, int column) {
    return browser
        .findElement(
            By.cssSelector(
                "#versions tr[data-version='" + version + "'] > :nth-child(" + column + ")"))
        .getText();
  }

  private static Set<String> drawnNodes() {
    return browser.findElements(By.cssSelector("#topology svg g.node")).stream()
        .map(node -> node.getDomAttribute("data-node"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> nodeNames(Reply topology) {
    assertThat(topology.status()).as(topology.toString()).isEqualTo(200);
    Set<String> names = new TreeSet<>();
    topology
        .json()
        .get("subtopologies")
        .forEach(sub -> sub.get("nodes").forEach(node -> names.add(node.get("name").asText())));
    assertThat(names).isNotEmpty();
    return names;
  }

  private static long count(WebElement compared, String name) {
    return Long.parseLong(
        compared
            .findElement(By.cssSelector("[data-count='" + name + "']"))
            .getText()
            .replace(",", ""));
  }

  private static Total totalIn(WebElement row, String side) throws IOException {
    String text = row.findElement(By.cssSelector("td[data-side='" + side + "']")).getText();
    if (text.equals("—")) {
      return null;
    }
    JsonNode value = JSON.readTree(text);
    return new Total(value.get("count").asLong(), value.get("bytes").asLong());
  }

  /** The text of {@code reading}, as producers write it. */
  private static String text(Reading reading) {
    return new String(
        MeterReadings.READINGS
            .values()
            .serde()
            .serializer()
            .serialize(MeterReadings.READINGS.topic(), reading),
        StandardCharsets.UTF_8);
  }

  private static void screenshot(String name) throws IOException {
    Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
