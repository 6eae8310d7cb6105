package dev.kappa.examples.demo;

import java.io.PrintStream;
import java.util.List;

/** The URLs and curl commands the demo prints for the two instances of the service. */
final class DemoUrls {

  /**
   * One thing to ask and how.
   *
   * @param what what it answers, such as {@code "a node's latest windows"}
   * @param url the URL, or a curl command
   */
  record Url(String what, String url) {}

  private DemoUrls() {}

  /**
   * What a user can open or curl while the demo runs: the job's own URLs ({@link
   * DemoWorkload#urls}) between those every job has. The README explains each.
   */
  static void print(PrintStream out, String job, List<String> urls, List<Url> jobUrls) {
    String a = urls.get(0);
    String admin = "curl -H 'Authorization: Bearer " + DemoServices.ADMIN_TOKEN + "' ";
    out.printf("%nAsk the service while the demo runs; either instance answers every key:%n");
    printUrl(out, new Url("jobs, versions, tables", a + "/jobs"));
    jobUrls.forEach(url -> printUrl(out, url));
    printUrl(out, new Url("readiness", a + "/health/readiness"));
    printUrl(out, new Url("metrics", a + "/prometheus"));
    printUrl(out, new Url("the API", a + "/openapi/kappa-0.1.yml"));
    printUrl(out, new Url("the console", a + "/console"));
    printUrl(
        out,
        new Url(
            "v2's replay, once started",
            admin + a + "/admin/jobs/" + job + "/versions/2/progress"));
    printUrl(
        out,
        new Url(
            "swap to v2, once caught up",
            admin
                + "-H 'Content-Type: application/json' -d '{\"to\":2}' "
                + a
                + "/admin/jobs/"
                + job
                + "/swap"));
    printUrl(
        out,
        new Url(
            "v1 and v2, where they differ", a + "/jobs/" + job + "/compare?versions=1,2&limit=5"));
  }

  private static void printUrl(PrintStream out, Url url) {
    out.printf("  %-28s %s%n", url.what(), url.url());
  }
}
