package com.example.pageviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.testing.JobTestDriver;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

class PageViewsJobTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void shouldCountViewsPerPageAndMinuteAndDeadLetterInvalidOnes() {
    try (JobTestDriver driver = JobTestDriver.of(PageViewsJob.v1(), START)) {
      pipeViews(driver);

      assertThat(viewsOf(driver, "/home", START)).isEqualTo(3);
      assertThat(viewsOf(driver, "/home", START.plusSeconds(60))).isEqualTo(1);
      assertThat(driver.deadLetters())
          .extracting(DeadLetter::message)
          .containsExactly("Record rejected by 'valid-views': the page is missing");
    }
  }

  @Test
  void shouldLeaveOutCrawlersInVersion2() {
    try (JobTestDriver driver = JobTestDriver.of(PageViewsJob.v2(), START)) {
      pipeViews(driver);

      assertThat(viewsOf(driver, "/home", START)).isEqualTo(2);
    }
  }

  private static void pipeViews(JobTestDriver driver) {
    TestInputTopic<String, PageView> views = driver.input(PageViewsJob.PAGE_VIEWS);
    view(views, "ada", "/home", 5);
    view(views, "bot-crawler", "/home", 10);
    view(views, "grace", "/home", 20);
    view(views, "ada", " ", 30); // invalid: no page
    view(views, "grace", "/home", 65); // the next minute
  }

  private static void view(
      TestInputTopic<String, PageView> views, String user, String page, long second) {
    Instant time = START.plusSeconds(second);
    views.pipeInput(user, new PageView(user, page, time), time);
  }

  private static long viewsOf(JobTestDriver driver, String page, Instant windowStart) {
    ValueAndTimestamp<Views> views =
        driver.windowStore(PageViewsJob.VIEWS_BY_PAGE).fetch(page, windowStart.toEpochMilli());
    return views == null ? 0 : views.value().count();
  }
}
