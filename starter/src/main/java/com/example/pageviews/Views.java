package com.example.pageviews;

/** How many times a page was viewed in a window. */
public record Views(long count) {

  public static final Views NONE = new Views(0);

  public Views plusOne() {
    return new Views(count + 1);
  }
}
