package dev.kappa.examples.demo;

import static dev.kappa.examples.demo.WorkloadRecords.closeTo;
import static dev.kappa.examples.demo.WorkloadRecords.generate;
import static dev.kappa.examples.demo.WorkloadRecords.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kappa.examples.pagehits.PageHit;
import dev.kappa.examples.pagehits.PageHitsJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PageHitsWorkloadTest {

  private final PageHitsWorkload workload =
      new PageHitsWorkload(DemoOptions.parse(new String[] {"--job", "page-hits"}));
  private final List<ProducerRecord<String, byte[]>> records = generate(workload, 20_000);

  @Test
  void shouldProduceValidHitsOfNowAndAFewBadOnes() {
    long bad =
        records.stream()
            .filter(
                r -> problem(r, PageHitsJob.PAGE_HITS.values(), PageHitsJob::problem).isPresent())
            .count();

    assertThat(records).hasSize(20_000);
    assertThat(records).allSatisfy(r -> assertThat(r.topic()).isEqualTo("page-hits"));
    assertThat(records).allMatch(r -> closeTo(r, Duration.ofSeconds(2)));
    // 0.2 % malformed: about 40 of 20,000.
    assertThat(bad).isBetween(15L, 80L);
  }

  @Test
  void shouldSendSomeHitsFromKnownBotsThatPushTheCrawledPageUpTheRanking() {
    List<PageHit> hits = valid();
    List<PageHit> bots = hits.stream().filter(PageHitsJob::isKnownBot).toList();

    assertThat((double) bots.size() / hits.size()).isBetween(0.13, 0.17);
    assertThat(bots).anyMatch(hit -> hit.user().startsWith(PageHitsJob.BOT_USER_PREFIX));
    assertThat(top3(hits)).contains(PageHitsWorkload.CRAWLED);
    assertThat(top3(hits.stream().filter(hit -> !PageHitsJob.isKnownBot(hit)).toList()))
        .containsExactly("/", "/pricing", "/docs");
  }

  private List<PageHit> valid() {
    return records.stream()
        .filter(r -> problem(r, PageHitsJob.PAGE_HITS.values(), PageHitsJob::problem).isEmpty())
        .map(r -> PageHitsJob.PAGE_HITS.values().serde().deserializer().deserialize("", r.value()))
        .toList();
  }

  private static List<String> top3(List<PageHit> hits) {
    Map<String, Long> views =
        hits.stream().collect(Collectors.groupingBy(PageHit::page, Collectors.counting()));
    return views.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(3)
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
  }
}
