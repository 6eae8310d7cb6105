package dev.kappa.benchmarks.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswersTest {

  private static final QueryTarget TARGET =
      new QueryTarget(
          "job",
          "table",
          false,
          List.of(URI.create("http://localhost:1"), URI.create("http://localhost:2")),
          List.of("localhost:1", "localhost:2"),
          List.of("k"),
          null,
          null);

  @Test
  void shouldTakeTheNearestRankOfTheSortedLatencies() {
    Latencies latencies = Latencies.ofNanos(new long[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6});

    assertThat(latencies.count()).isEqualTo(10);
    assertThat(latencies.percentile(50)).isEqualTo(Duration.ofNanos(5));
    assertThat(latencies.percentile(90)).isEqualTo(Duration.ofNanos(9));
    assertThat(latencies.percentile(99)).isEqualTo(Duration.ofNanos(10));
    assertThat(latencies.percentile(100)).isEqualTo(latencies.max());
    assertThat(Latencies.ofNanos(new long[0]).percentile(99)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> latencies.percentile(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid percentile 0.0");
  }

  @Test
  void shouldFindWhenEveryInstanceAnsweredFromTheNewVersionOnly() {
    // instance 0 turns to v2 at 30; instance 1 answers v2 at 25, then v1 once more at 35, then v2
    Answers answers =
        answers(
            answer(10, 0, 1, false),
            answer(20, 1, 1, true),
            answer(25, 1, 2, true),
            answer(30, 0, 2, false),
            answer(35, 1, 1, false),
            failed(38, 0, 503),
            answer(40, 1, 2, false),
            answer(50, 0, 2, true));

    assertThat(answers.allAnsweringFrom(2)).contains(Duration.ofNanos(40));
    assertThat(answers.allAnsweringFrom(1)).isEmpty();
    assertThat(answers.byVersion()).isEqualTo(Map.of(1, 3L, 2, 4L));
    assertThat(answers.failuresByStatus()).isEqualTo(Map.of(503, 1L));
    assertThat(answers.latencies(true).count()).isEqualTo(3);
    assertThat(answers.latencies(false).count()).isEqualTo(4);
    assertThat(answers.between(Duration.ofNanos(30), Duration.ofNanos(40)).all())
        .extracting(QueryAnswer::startNanos)
        .containsExactly(30L, 35L, 38L);
  }

  private static Answers answers(QueryAnswer... answers) {
    return new Answers(TARGET, List.of(answers), Duration.ofNanos(60), Map.of());
  }

  private static QueryAnswer answer(long start, int asked, int version, boolean forwarded) {
    return new QueryAnswer(start, asked, 1, 200, version, forwarded, null);
  }

  private static QueryAnswer failed(long start, int asked, int status) {
    return new QueryAnswer(start, asked, 1, status, 0, false, null);
  }
}
