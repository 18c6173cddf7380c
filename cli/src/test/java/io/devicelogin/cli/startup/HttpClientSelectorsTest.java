package io.devicelogin.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command does not leave the JVM's exit waiting on an HTTP client's selector thread: those
 * threads are found by the JDK's name for them, and an interrupt ends them. Only this test's client
 * is stopped: other tests in this JVM may hold clients of their own.
 */
class HttpClientSelectorsTest {
  @Test
  void anHttpClientsSelectorThreadIsFoundAndEndsWhenInterrupted() throws Exception {
    List<Thread> before = HttpClientSelectors.find();
    HttpClient client = HttpClient.newHttpClient();
    List<Thread> ours = new ArrayList<>(HttpClientSelectors.find());
    ours.removeAll(before);
    assertThat(ours)
        .as("the JDK names its selector threads HttpClient-N-SelectorManager")
        .hasSize(1);

    ours.forEach(Thread::interrupt);

    ours.get(0).join(5000);
    assertThat(ours.get(0).isAlive()).isFalse();
    assertThat(client).isNotNull();
  }
}
