package io.devicelogin.bench;

/** One part of {@code bench/RESULTS.md}: a heading and its Markdown (tables and notes). */
public record Section(String title, String markdown) {}
