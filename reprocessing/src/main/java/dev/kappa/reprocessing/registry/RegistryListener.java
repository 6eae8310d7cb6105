package dev.kappa.reprocessing.registry;

/**
 * Told of every command the registry folds, in the order of the topic, on the registry's reading
 * thread: keep it short and hand long work to another thread.
 */
@FunctionalInterface
public interface RegistryListener {

  /**
   * {@code command} changed the history of its job from {@code before} to {@code after}.
   *
   * @param before the history before the command
   * @param after the history after it
   * @param command the command
   */
  void changed(JobHistory before, JobHistory after, RegistryCommand command);
}
