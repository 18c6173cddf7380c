package io.devicelogin.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.devicelogin.client.Secret;
import io.devicelogin.client.wire.Json;
import io.devicelogin.server.Administration;
import io.devicelogin.server.ServerConfig;
import io.devicelogin.server.admin.Administrator;
import io.devicelogin.server.admin.UserAdministration;
import io.devicelogin.server.admin.UserAdministration.Account;
import io.devicelogin.server.crypto.Hashing;
import io.devicelogin.server.startup.StartupException;
import io.devicelogin.server.store.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code devicelogin server users …}: accounts without SQL, on the server's database (the same
 * {@code --data-dir}, {@code --db-url} and {@code --config} as the server). Each subcommand is one
 * call of the server's {@link UserAdministration}, the service /admin/users calls too.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description =
        "Manage the people who may approve logins, on the server's database (H2: while the server"
            + " is stopped; PostgreSQL: also while it runs).",
    footer = UsersCommand.FOOTER,
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Show.class,
      UsersCommand.Disable.class,
      UsersCommand.Enable.class,
      UsersCommand.Unlock.class,
      UsersCommand.ResetPassword.class,
      UsersCommand.Delete.class,
      UsersCommand.MakeAdmin.class,
      UsersCommand.UnmakeAdmin.class
    })
final class UsersCommand implements Runnable {
  /** Where a password comes from when it is not typed on stdin: never the command line. */
  static final String PASSWORD_VARIABLE = "DEVICELOGIN_USER_PASSWORD";

  static final String FOOTER =
      "%nPasswords never go on the command line: --password-stdin reads one line, else "
          + PASSWORD_VARIABLE
          + " is used, else one is generated and printed once."
          + "%nEvery change is in the audit trail with actor cli:<your OS user>."
          + ExitCode.HELP;

  @ParentCommand ServerCommand server;

  @Override
  public void run() {
    picocli.CommandLine.usage(this, server.main.env.err());
  }

  /** The server's database options, as {@code devicelogin server} takes them. */
  static final class DatabaseOptions {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Directory of the embedded H2 database (default ./devicelogin-data).")
    String dataDir;

    @Option(
        names = "--db-url",
        paramLabel = "JDBC-URL",
        description =
            "PostgreSQL instead (user and password from DEVICELOGIN_DB_USER and"
                + " DEVICELOGIN_DB_PASSWORD).")
    String dbUrl;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "The server's configuration, for its \"admins\".")
    String config;

    ServerConfig serverConfig(Environment env) {
      List<String> args = new ArrayList<>();
      if (dataDir != null) {
        args.addAll(List.of("--data-dir", dataDir));
      }
      if (dbUrl != null) {
        args.addAll(List.of("--db-url", dbUrl));
      }
      if (config != null) {
        args.addAll(List.of("--config", config));
      }
      try {
        return ServerConfig.parse(args, env.vars());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  /** What every subcommand shares: the database, the administrator, the output. */
  abstract static class Subcommand implements Callable<Integer> {
    @ParentCommand UsersCommand users;

    @Mixin DatabaseOptions database = new DatabaseOptions();

    Environment env() {
      return users.server.main.env;
    }

    PrintStream out() {
      return env().out();
    }

    /** The operating system's account that runs the command: the audit trail's actor. */
    Administrator administrator() {
      return Administrator.commandLine(System.getProperty("user.name", "unknown"));
    }

    @Override
    public final Integer call() {
      ServerConfig config = database.serverConfig(env());
      Administration administration;
      try {
        administration = Administration.open(config, env().clock(), new SecureRandom());
      } catch (StartupException e) {
        String hint =
            config.dbUrl().isEmpty() && e.getMessage().contains("in use")
                ? "; an H2 database is one process's at a time: stop the server first, or keep"
                    + " the server's data in PostgreSQL (--db-url) to manage people while it runs"
                : "";
        throw new IllegalStateException(e.getMessage() + hint);
      }
      try (administration) {
        return run(administration.users());
      }
    }

    abstract int run(UserAdministration admin);

    /**
     * The password of {@code --password-stdin}, else of {@value #PASSWORD_VARIABLE}; empty when
     * neither, for the caller to generate one.
     */
    Optional<Secret> givenPassword(boolean fromStdin) {
      if (fromStdin) {
        try {
          String line =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                  .readLine();
          if (line == null || line.isEmpty()) {
            throw new UsageException("--password-stdin: standard input held no password");
          }
          return Optional.of(Secret.of(line));
        } catch (IOException e) {
          throw new UsageException("--password-stdin: cannot read standard input");
        }
      }
      return Optional.ofNullable(env().var(PASSWORD_VARIABLE)).map(Secret::of);
    }

    /** A new password for {@code username}, printed once: it is stored only as a hash. */
    void printGenerated(String username, Secret password) {
      out()
          .println(
              "Password of "
                  + username
                  + ": "
                  + password.revealForTransmission()
                  + " (shown once; pass it on safely)");
    }
  }

  @Command(
      name = "add",
      description = "Add an account: with a password, or linked to an upstream account.")
  static final class Add extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Option(names = "--name", description = "Full name shown on the pages (default USERNAME).")
    String name;

    @Option(names = "--email", description = "E-mail address.")
    String email;

    @Option(names = "--admin", description = "Make the account an administrator.")
    boolean admin;

    @Option(
        names = "--upstream",
        paramLabel = "NAME",
        description = "Link to an account of this upstream (its name in the config); no password.")
    String upstream;

    @Option(
        names = "--subject",
        paramLabel = "SUB",
        description = "The upstream account's subject (its ID token's sub).")
    String subject;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    int run(UserAdministration admin) {
      if ((upstream == null) != (subject == null)) {
        throw new UsageException("--upstream and --subject go together");
      }
      Optional<User.Link> link = Optional.ofNullable(upstream).map(u -> new User.Link(u, subject));
      if (link.isPresent() && passwordStdin) {
        throw new UsageException(
            "an account linked to an upstream signs in there and has no password");
      }
      Optional<Secret> given = link.isPresent() ? Optional.empty() : givenPassword(passwordStdin);
      boolean generate = link.isEmpty() && given.isEmpty();
      Optional<Secret> password =
          generate ? Optional.of(Hashing.newSecret(new SecureRandom())) : given;
      User user =
          admin.add(
              username,
              Optional.ofNullable(name),
              Optional.ofNullable(email),
              this.admin,
              link,
              password,
              administrator());
      out()
          .println(
              "Added "
                  + user.username()
                  + (this.admin ? " (administrator)" : "")
                  + link.map(l -> ", linked to " + l + "; signs in through " + l.upstream())
                      .orElse(""));
      if (generate) {
        printGenerated(user.username(), password.get());
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "list", description = "List the accounts, or those matching --search.")
  static final class ListUsers extends Subcommand {
    @Option(
        names = "--search",
        paramLabel = "TEXT",
        description = "Only accounts whose username, name, e-mail or subject holds TEXT.")
    String search;

    @Option(names = "--json", description = "One JSON array of accounts.")
    boolean json;

    @Override
    int run(UserAdministration admin) {
      List<Account> accounts = admin.list(Optional.ofNullable(search));
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        accounts.forEach(a -> array.add(json(a)));
        out().println(Json.write(array));
        return ExitCode.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            "USERNAME", "NAME", "EMAIL", "STATUS", "ADMIN", "UPSTREAM:SUBJECT", "LAST SIGN-IN"
          });
      for (Account a : accounts) {
        User u = a.user();
        rows.add(
            new String[] {
              u.username(),
              u.displayName(),
              u.email().orElse("-"),
              u.status().name().toLowerCase(Locale.ROOT),
              adminText(a),
              u.link().map(User.Link::toString).orElse("-"),
              u.lastSignInAt().map(UsersCommand::time).orElse("never")
            });
      }
      table(out(), rows);
      return ExitCode.OK;
    }
  }

  @Command(name = "show", description = "Show an account and how many active grants it has.")
  static final class Show extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Override
    int run(UserAdministration admin) {
      Account a = admin.show(username);
      if (json) {
        out().println(Json.write(json(a)));
        return ExitCode.OK;
      }
      User u = a.user();
      PrintStream out = out();
      out.println("Username:      " + u.username());
      out.println("Name:          " + u.displayName());
      out.println("E-mail:        " + u.email().orElse("-"));
      out.println("Status:        " + u.status().name().toLowerCase(Locale.ROOT));
      out.println("Administrator: " + adminText(a));
      out.println("Upstream:      " + u.link().map(User.Link::toString).orElse("-"));
      if (!u.groups().isEmpty()) {
        out.println("Groups:        " + String.join(", ", u.groups()));
      }
      out.println("Created:       " + time(u.createdAt()));
      out.println("Last sign-in:  " + u.lastSignInAt().map(UsersCommand::time).orElse("never"));
      out.println("Active grants: " + a.activeGrants());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "disable",
      description = "Disable an account and revoke all its grants (its CLIs are logged out).")
  static final class Disable extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      int revoked = admin.disable(username, administrator());
      out().println("Disabled " + username + "; revoked " + revoked + " grant(s).");
      return ExitCode.OK;
    }
  }

  @Command(name = "enable", description = "Enable a disabled or locked account.")
  static final class Enable extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      admin.enable(username, administrator());
      out().println("Enabled " + username + ".");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "unlock",
      description = "Lift an account's sign-in delay after failed sign-ins, and its lock.")
  static final class Unlock extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      admin.unlock(username, administrator());
      out().println("Unlocked " + username + ".");
      return ExitCode.OK;
    }
  }

  @Command(name = "reset-password", description = "Give an account a new password.")
  static final class ResetPassword extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    int run(UserAdministration admin) {
      Optional<Secret> given = givenPassword(passwordStdin);
      Secret password = given.orElseGet(() -> Hashing.newSecret(new SecureRandom()));
      admin.resetPassword(username, password, administrator());
      out().println("Password of " + username + " reset.");
      if (given.isEmpty()) {
        printGenerated(username, password);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "delete",
      description = "Revoke an account's grants and remove it; its audit events stay.")
  static final class Delete extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      int revoked = admin.delete(username, administrator());
      out().println("Deleted " + username + "; revoked " + revoked + " grant(s).");
      return ExitCode.OK;
    }
  }

  @Command(name = "make-admin", description = "Make an account an administrator.")
  static final class MakeAdmin extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      admin.setAdmin(username, true, administrator());
      out().println(username + " is an administrator.");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "unmake-admin",
      description =
          "Take the administrator flag away (not from one the config's \"admins\" names).")
  static final class UnmakeAdmin extends Subcommand {
    @Parameters(paramLabel = "USERNAME")
    String username;

    @Override
    int run(UserAdministration admin) {
      admin.setAdmin(username, false, administrator());
      out().println(username + " is no longer an administrator.");
      return ExitCode.OK;
    }
  }

  private static String adminText(Account a) {
    return a.namedInConfig() ? "yes (config)" : a.admin() ? "yes" : "no";
  }

  private static ObjectNode json(Account a) {
    User u = a.user();
    ObjectNode o =
        Json.newObject()
            .put("username", u.username())
            .put("name", u.displayName())
            .put("email", u.email().orElse(null))
            .put("status", u.status().name().toLowerCase(Locale.ROOT))
            .put("admin", a.admin())
            .put("admin_by_config", a.namedInConfig());
    o.put("upstream", u.link().map(User.Link::upstream).orElse(null));
    o.put("subject", u.link().map(User.Link::subject).orElse(null));
    o.put("created_at", u.createdAt().toString());
    o.put("last_sign_in_at", u.lastSignInAt().map(Instant::toString).orElse(null));
    o.put("active_grants", a.activeGrants());
    return o;
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private static String time(Instant t) {
    return TIME.format(t);
  }

  /** Columns padded to their widest cell, two spaces apart, as {@code kubectl get} prints. */
  private static void table(PrintStream out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
