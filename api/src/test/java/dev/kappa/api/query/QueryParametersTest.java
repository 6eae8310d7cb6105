package dev.kappa.api.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

  @Test
  void shouldReadVersionsWithOrWithoutTheirPrefix() {
    assertThat(QueryParameters.version(null)).isNull();
    assertThat(QueryParameters.version("2")).isEqualTo(2);
    assertThat(QueryParameters.version("v3")).isEqualTo(3);
    assertThatThrownBy(() -> QueryParameters.version("0"))
        .isInstanceOf(BadQueryException.class)
        .hasMessage("Bad version '0': send a version number from 1, such as version=2");
  }

  @Test
  void shouldDefaultTheTimeRangeToTheLastHourAndRefuseOneThatEndsBeforeItStarts() {
    QueryParameters.TimeRange range = QueryParameters.timeRange(null, "2026-11-23T10:00:00Z");
    assertThat(range.to()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(Duration.between(range.from(), range.to())).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(
            () -> QueryParameters.timeRange("2026-11-23T11:00:00Z", "2026-11-23T10:00:00Z"))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("from 2026-11-23T11:00:00Z is after to 2026-11-23T10:00:00Z");
    assertThatThrownBy(() -> QueryParameters.timeRange("10:00", null))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("Bad time '10:00' for 'from'")
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void shouldBoundTheLimit() {
    assertThat(QueryParameters.limit(null)).isEqualTo(QueryParameters.DEFAULT_LIMIT);
    assertThat(QueryParameters.limit("10")).isEqualTo(10);
    assertThatThrownBy(() -> QueryParameters.limit("1000001"))
        .isInstanceOf(BadQueryException.class)
        .hasMessageContaining("from 1 to 100000");
  }
}
