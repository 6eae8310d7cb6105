package dev.kappa.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the code in README.md true: every {@code java} and {@code xml} block is cut from a file
 * that the build compiles and tests (the starter project, the examples), named by the comment
 * before it:
 *
 * <pre>
 * &lt;!-- snippet: starter/src/main/java/com/example/pageviews/PageViewsJob.java#parts --&gt;
 * </pre>
 *
 * <p>{@code #parts} is the region between the lines {@code // tag::parts[]} and {@code //
 * end::parts[]} ({@code <!-- tag::parts[] -->} in XML), less its indentation and any tag lines
 * inside it; without {@code #}, the whole file. A block that differs from its source fails the
 * build. Run with {@code -Dreadme.update=true} to copy the sources into README.md instead.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^#\\s]+)(?:#(\\S+))? -->");
  private static final Pattern TAG_LINE =
      Pattern.compile("^\\s*(//|<!--)\\s*(tag|end)::[\\w-]+\\[]");

  @Test
  void shouldCutEveryCodeBlockOfTheReadmeFromCompiledAndTestedSources() throws IOException {
    Path readme = ROOT.resolve("README.md");
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<String> updated = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int snippets = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      updated.add(line);
      if (!line.startsWith("```java") && !line.startsWith("```xml")) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).equals("```")) {
        end++;
      }
      List<String> block = lines.subList(i + 1, end);
      Matcher marker = MARKER.matcher(previousNonBlank(lines, i));
      if (!marker.matches()) {
        problems.add(
            "README.md:"
                + (i + 1)
                + ": a code block without a source; put the code in a file the build compiles"
                + " and tests, and name it in a comment before the block: <!-- snippet: path#tag -->");
        updated.addAll(block);
      } else {
        List<String> source = cut(marker.group(1), marker.group(2), problems);
        snippets++;
        if (!source.equals(block)) {
          problems.add(
              "README.md:"
                  + (i + 1)
                  + ": differs from "
                  + marker.group(0)
                  + "; to copy the source in: mvn -pl examples test -Dtest=ReadmeSnippetsTest"
                  + " -Dreadme.update=true");
        }
        updated.addAll(source);
      }
      updated.add("```");
      i = end;
    }
    if (Boolean.getBoolean("readme.update")) {
      Files.write(readme, updated, StandardCharsets.UTF_8);
      problems.removeIf(problem -> problem.contains("differs from"));
    }
    assertThat(problems).as("README.md's code blocks").isEmpty();
    assertThat(snippets).as("snippets checked").isGreaterThanOrEqualTo(8);
  }

  private static String previousNonBlank(List<String> lines, int index) {
    for (int i = index - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i).trim();
      }
    }
    return "";
  }

  /** The lines of {@code tag} in the file {@code path} (from the root), or the whole file. */
  private static List<String> cut(String path, String tag, List<String> problems)
      throws IOException {
    Path file = ROOT.resolve(path);
    if (!Files.isRegularFile(file)) {
      problems.add("No such file: " + path);
      return List.of();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> region = new ArrayList<>();
    boolean inside = tag == null;
    boolean found = tag == null;
    for (String line : lines) {
      if (tag != null && line.contains("tag::" + tag + "[]")) {
        inside = true;
        found = true;
      } else if (tag != null && line.contains("end::" + tag + "[]")) {
        inside = false;
      } else if (inside && !TAG_LINE.matcher(line).find()) {
        region.add(line);
      }
    }
    if (!found) {
      problems.add(path + " has no region tag::" + tag + "[]");
    }
    return dedent(region);
  }

  private static List<String> dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
        .toList();
  }
}
