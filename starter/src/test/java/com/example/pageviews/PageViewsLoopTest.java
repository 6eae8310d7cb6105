package com.example.pageviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kappa.embedded.EmbeddedKafkaExtension;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.RunningJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job on a real Kafka broker, started in this JVM for the tests of this class. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageViewsLoopTest {

  @RegisterExtension static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

  @Test
  @Order(1)
  void shouldSwapToTheVersionThatLeavesOutCrawlersAndRetireTheFirst() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    PageViewsLoop.Result result =
        PageViewsLoop.run(
            kafka.bootstrapServers(), new PrintStream(printed, true, StandardCharsets.UTF_8));

    // ada, the crawler, grace and linus viewed /home; the view without a page is a dead letter
    assertThat(result.v1Views()).isEqualTo(4);
    assertThat(result.v2Views()).isEqualTo(3);
    assertThat(result.answeredBy()).isEqualTo(2);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Retired v1: deleted [page-views-v1-");
  }

  @Test
  @Order(2)
  void shouldRunAJobAloneAsAKafkaStreamsApplication() {
    // The first test sent five views, one without a page.
    // tag::running-job[]
    JobConfig config = JobConfig.builder(kafka.bootstrapServers()).build(); // exactly-once
    try (RunningJob running = RunningJob.start(PageViewsJob.v1().topology(), config)) {
      running.awaitRunning(Duration.ofSeconds(60));
      // running.streams() is its KafkaStreams; running.deadLetters() counts what it dead-lettered
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(() -> assertThat(running.deadLetters().total()).isEqualTo(1));
    }
    // end::running-job[]
  }
}
