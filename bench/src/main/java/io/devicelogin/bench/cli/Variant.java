package io.devicelogin.bench.cli;

import java.util.List;
import java.util.Map;

/** One thing timed: a row's label, a command line and the extra environment it runs with. */
record Variant(String label, List<String> command, Map<String, String> env) {}
