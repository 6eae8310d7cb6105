package com.example.pageviews;

import dev.kappa.embedded.EmbeddedKafka;
import dev.kappa.reprocessing.JobHost;
import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.reprocessing.StartOptions;
import dev.kappa.reprocessing.query.Answer;
import dev.kappa.reprocessing.query.WindowValue;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.runtime.JobConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The reprocessing loop of the page-views job on one instance: v1 counts the views of the last ten
 * minutes, v2 replays them beside it leaving out crawlers, the swap, and v1 retired. On a Kafka
 * broker started in this JVM, or on the cluster given as the first argument.
 */
public final class PageViewsLoop {

  private static final Duration CATCH_UP = Duration.ofMinutes(2);

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      run(args[0], System.out);
      return;
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      run(kafka.bootstrapServers(), System.out);
    }
  }

  /** What v1 and then v2 served for one page and minute. */
  record Result(long v1Views, long v2Views, int answeredBy) {}

  static Result run(String bootstrapServers, PrintStream out) throws Exception {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5));
    createTopicAndSendViews(bootstrapServers, minute);

    // tag::host[]
    JobConfig config = JobConfig.builder(bootstrapServers).build();
    try (JobHost host =
        JobHost.builder(config)
            .version(1, PageViewsJob.v1())
            .version(2, PageViewsJob.v2())
            // caught up: every record processed and committed (by default, 1,000 records of lag)
            .settings(ReplaySettings.defaults().withCatchUpLag(0))
            .startingFirstVersions() // v1, since the registry lists no version of the job yet
            .start()) {
      host.awaitCaughtUp(JobVersion.of(PageViewsJob.NAME, 1), CATCH_UP);
      long v1 = views(host, "/home", minute);

      host.startVersion(PageViewsJob.NAME, 2, StartOptions.defaults()); // replays beside v1
      host.awaitCaughtUp(JobVersion.of(PageViewsJob.NAME, 2), CATCH_UP);
      host.swap(PageViewsJob.NAME, 2); // every instance now answers from v2
      long v2 = views(host, "/home", minute);

      JobHost.Retirement retired = host.retire(PageViewsJob.NAME, 1);
      out.printf("/home at %s: v1 counted %d views, v2 %d%n", minute, v1, v2);
      out.printf("Retired v1: deleted %s%n", retired.deletedTopics());
      return new Result(v1, v2, host.activeVersion(PageViewsJob.NAME).orElseThrow());
    }
    // end::host[]
  }

  // tag::query[]
  /** The views of {@code page} in the minute from {@code minute}, from the active version. */
  static long views(JobHost host, String page, Instant minute) {
    Answer<List<WindowValue<Views>>> answer =
        host.queries()
            .table(PageViewsJob.NAME, PageViewsJob.VIEWS_BY_PAGE)
            .windows(page, minute, minute);
    return answer.value().stream().mapToLong(window -> window.value().count()).sum();
  }

  // end::query[]

  /** Three people and one crawler view /home in {@code minute}; one view has no page. */
  private static void createTopicAndSendViews(String bootstrapServers, Instant minute)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      // keep the log forever: a new version replays it from its beginning
      admin
          .createTopics(
              List.of(
                  new NewTopic(PageViewsJob.PAGE_VIEWS.topic(), 3, (short) 1)
                      .configs(Map.of("retention.ms", "-1"))))
          .all()
          .get();
    }
    Properties producerConfig = new Properties();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    JsonSerde<PageView> json = JsonSerde.of(PageView.class);
    List<PageView> views = new ArrayList<>();
    views.add(new PageView("ada", "/home", minute.plusSeconds(1)));
    views.add(new PageView("bot-crawler", "/home", minute.plusSeconds(2)));
    views.add(new PageView("grace", "/home", minute.plusSeconds(3)));
    views.add(new PageView("linus", "/home", minute.plusSeconds(4)));
    views.add(new PageView("ada", "", minute.plusSeconds(5)));
    try (KafkaProducer<String, PageView> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), json.serializer())) {
      // One at a time, each acknowledged: a topic just created may refuse a first write while
      // its leader starts, and the producer's retry must not land behind the writes after it.
      for (PageView view : views) {
        producer
            .send(
                new ProducerRecord<>(
                    PageViewsJob.PAGE_VIEWS.topic(),
                    null,
                    view.time().toEpochMilli(),
                    view.user(),
                    view))
            .get();
      }
    }
  }

  private PageViewsLoop() {}
}
