package io.devicelogin.bench.cli;

/**
 * The trivial Java program that {@link CliStartup} measures the command against: a JVM that starts,
 * prints one line and exits. With {@code --version}, the line names the JVM instead.
 */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--version")) {
      System.out.println(
          System.getProperty("java.vm.name")
              + " "
              + System.getProperty("java.runtime.version")
              + " ("
              + System.getProperty("java.vm.vendor")
              + ", "
              + System.getProperty("os.arch")
              + ")");
      return;
    }
    System.out.println("hello");
  }
}
