package dev.kappa.topology;

/**
 * Derives the names of everything one deployment of a job owns: its Kafka Streams {@code
 * application.id} (and so its consumer group, internal topics and state directory), the topics its
 * sinks write to, and its dead-letter topic. One implementation builds all of them, so that no
 * other code builds such a name by hand.
 *
 * <p>{@link #unversioned(String)} names a job that runs as a single deployment; the reprocessing
 * module names each version of a job.
 */
public interface JobNaming {

  /** The Kafka Streams {@code application.id}. */
  String applicationId();

  /** The topic that the sink called {@code sinkName} writes to. */
  String outputTopic(String sinkName);

  /** The topic that receives records the job cannot read or process. */
  String deadLetterTopic();

  /**
   * The names of a job that runs as a single deployment: the application id is the job name, each
   * sink writes to the topic of its own name, and dead letters go to {@code <job>-dead-letters}.
   */
  static JobNaming unversioned(String jobName) {
    String job = Names.checkJob(jobName);
    return new JobNaming() {
      @Override
      public String applicationId() {
        return job;
      }

      @Override
      public String outputTopic(String sinkName) {
        return sinkName;
      }

      @Override
      public String deadLetterTopic() {
        return job + "-dead-letters";
      }

      @Override
      public String toString() {
        return "unversioned job '" + job + "'";
      }
    };
  }
}
