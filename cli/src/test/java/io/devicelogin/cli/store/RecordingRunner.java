package io.devicelogin.cli.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A {@link CommandRunner} that records each call and answers from a script. */
final class RecordingRunner implements CommandRunner {
  record Call(List<String> command, String stdin) {}

  final List<Call> calls = new ArrayList<>();
  private final Deque<Function<Call, Result>> answers = new ArrayDeque<>();
  private Function<Call, Result> fallback = call -> ok("");

  RecordingRunner then(Function<Call, Result> answer) {
    answers.add(answer);
    return this;
  }

  RecordingRunner otherwise(Function<Call, Result> answer) {
    fallback = answer;
    return this;
  }

  static Result ok(String stdout) {
    return new Result(0, stdout.getBytes(StandardCharsets.UTF_8), "");
  }

  static Result exit(int code, String stderr) {
    return new Result(code, new byte[0], stderr);
  }

  @Override
  public Result run(
      List<String> command, byte[] stdin, Map<String, String> environment, Duration timeout) {
    Call call = new Call(List.copyOf(command), new String(stdin, StandardCharsets.UTF_8));
    calls.add(call);
    Function<Call, Result> answer = answers.isEmpty() ? fallback : answers.poll();
    return answer.apply(call);
  }

  /** Every argument of every call, joined, to look for values that must not be there. */
  String allArguments() {
    StringBuilder all = new StringBuilder();
    calls.forEach(c -> all.append(String.join(" ", c.command())).append('\n'));
    return all.toString();
  }
}
