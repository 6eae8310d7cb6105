package com.example.pageviews;

import java.time.Instant;

/** A page view, keyed by its user, at the time the page was shown. */
public record PageView(String user, String page, Instant time) {

  /** Whether a crawler, not a person, asked for the page. */
  public boolean byBot() {
    return user != null && user.startsWith("bot-");
  }
}
