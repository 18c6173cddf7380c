package io.devicelogin.cli.store;

import static io.devicelogin.cli.store.HelperProgram.USE_MEMORY;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Windows: generic credentials in the Credential Manager ({@code CredWriteW}, {@code CredReadW},
 * {@code CredDeleteW} of advapi32, through P/Invoke from Windows PowerShell). Target {@code
 * devicelogin:PROFILE}, persisted on this machine only ({@code CRED_PERSIST_LOCAL_MACHINE}, never
 * roaming with a domain profile).
 *
 * <p>PowerShell runs as {@code powershell -NoProfile -NonInteractive -Command -}: the whole script,
 * and with it the value (base64, in parts of at most 2,400 characters because a credential holds at
 * most 2,560 bytes; see {@link ChunkedValue}), arrives on stdin, never in argv. Every statement is
 * on one line, because {@code -Command -} runs its input line by line as if typed. The script ends
 * by printing {@code DLRESULT …}; without that line the operation failed and stderr says why.
 *
 * <p><b>Untested on real Windows:</b> the unit tests check the exact command line and script this
 * class produces; it has not run against a real Credential Manager.
 */
final class WindowsCredentialBackend implements KeyringBackend {
  static final String TARGET_PREFIX = "devicelogin:";
  static final int PART_SIZE = 2400;

  /** The P/Invoke helper, in one line so that {@code -Command -} reads it as one statement. */
  static final String HELPER =
      "Add-Type -TypeDefinition 'using System; using System.Text;"
          + " using System.Runtime.InteropServices; public static class DeviceLoginCred {"
          + " [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)] private struct CREDENTIAL {"
          + " public uint Flags; public uint Type; public string TargetName; public string Comment;"
          + " public System.Runtime.InteropServices.ComTypes.FILETIME LastWritten; public uint CredentialBlobSize;"
          + " public IntPtr CredentialBlob; public uint Persist; public uint AttributeCount; public IntPtr Attributes;"
          + " public string TargetAlias; public string UserName; }"
          + " [DllImport(\"advapi32.dll\", EntryPoint = \"CredWriteW\", CharSet = CharSet.Unicode, SetLastError = true)]"
          + " private static extern bool CredWrite(ref CREDENTIAL credential, uint flags);"
          + " [DllImport(\"advapi32.dll\", EntryPoint = \"CredReadW\", CharSet = CharSet.Unicode, SetLastError = true)]"
          + " private static extern bool CredRead(string target, uint type, uint flags, out IntPtr credential);"
          + " [DllImport(\"advapi32.dll\", EntryPoint = \"CredDeleteW\", CharSet = CharSet.Unicode, SetLastError = true)]"
          + " private static extern bool CredDelete(string target, uint type, uint flags);"
          + " [DllImport(\"advapi32.dll\")] private static extern void CredFree(IntPtr buffer);"
          + " public static int Write(string target, string user, string value) {"
          + " byte[] blob = Encoding.ASCII.GetBytes(value); CREDENTIAL c = new CREDENTIAL(); c.Type = 1;"
          + " c.TargetName = target; c.UserName = user; c.Persist = 2; c.CredentialBlobSize = (uint) blob.Length;"
          + " c.CredentialBlob = Marshal.AllocHGlobal(blob.Length);"
          + " try { Marshal.Copy(blob, 0, c.CredentialBlob, blob.Length); return CredWrite(ref c, 0) ? 0 : Marshal.GetLastWin32Error(); }"
          + " finally { for (int i = 0; i < blob.Length; i++) { Marshal.WriteByte(c.CredentialBlob, i, 0); blob[i] = 0; }"
          + " Marshal.FreeHGlobal(c.CredentialBlob); } }"
          + " public static string Read(string target) { IntPtr p; if (!CredRead(target, 1, 0, out p)) {"
          + " int e = Marshal.GetLastWin32Error(); if (e == 1168) { return null; } throw new System.ComponentModel.Win32Exception(e); }"
          + " try { CREDENTIAL c = (CREDENTIAL) Marshal.PtrToStructure(p, typeof(CREDENTIAL));"
          + " byte[] b = new byte[c.CredentialBlobSize]; Marshal.Copy(c.CredentialBlob, b, 0, b.Length);"
          + " return Encoding.ASCII.GetString(b); } finally { CredFree(p); } }"
          + " public static int Delete(string target) { return CredDelete(target, 1, 0) ? 0 : Marshal.GetLastWin32Error(); } }'";

  private final HelperProgram helper;
  private final Map<String, String> environment;

  WindowsCredentialBackend(
      CommandRunner runner, Map<String, String> environment, Duration timeout) {
    this.helper = new HelperProgram(runner, environment, timeout, "PowerShell", "");
    this.environment = helper.environment();
  }

  @Override
  public String location() {
    return "Windows Credential Manager (" + TARGET_PREFIX + "PROFILE)";
  }

  /** The absolute path of Windows PowerShell, so that no PATH entry can stand in for it. */
  List<String> command() {
    String root =
        environment.getOrDefault(
            "SystemRoot", environment.getOrDefault("SYSTEMROOT", "C:\\Windows"));
    String exe = root + "\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
    return List.of(exe, "-NoProfile", "-NonInteractive", "-Command", "-");
  }

  static String target(String account, int part) {
    return TARGET_PREFIX + ChunkedValue.partAccount(account, part);
  }

  String writeScript(String account, List<String> parts) {
    StringBuilder s = preamble();
    for (int i = 0; i < parts.size(); i++) {
      s.append("$e = [DeviceLoginCred]::Write('")
          .append(target(account, i))
          .append("', '")
          .append(account)
          .append("', '")
          .append(parts.get(i))
          .append("'); if ($e -ne 0) { 'DLRESULT ERROR ' + $e; exit 1 }\n");
    }
    s.append(deletePartsFrom(account, parts.size()));
    return end(s);
  }

  String readScript(String account) {
    StringBuilder s = preamble();
    s.append("$v = [DeviceLoginCred]::Read('")
        .append(target(account, 0))
        .append("'); if ($null -eq $v) { 'DLRESULT MISSING'; exit 0 }; 'DLPART ' + $v\n");
    s.append("$i = 1; while ($true) { $v = [DeviceLoginCred]::Read('")
        .append(TARGET_PREFIX)
        .append(account)
        .append("#' + $i); if ($null -eq $v) { break }; 'DLPART ' + $v; $i++ }\n");
    return end(s);
  }

  String deleteScript(String account) {
    StringBuilder s = preamble();
    s.append("$e = [DeviceLoginCred]::Delete('")
        .append(target(account, 0))
        .append("'); if ($e -ne 0 -and $e -ne 1168) { 'DLRESULT ERROR ' + $e; exit 1 }\n");
    s.append(deletePartsFrom(account, 1));
    return end(s);
  }

  private static String deletePartsFrom(String account, int from) {
    return "$i = "
        + from
        + "; while ([DeviceLoginCred]::Delete('"
        + TARGET_PREFIX
        + account
        + "#' + $i) -eq 0) { $i++ }\n";
  }

  private static StringBuilder preamble() {
    return new StringBuilder("$ErrorActionPreference = 'Stop'\n").append(HELPER).append('\n');
  }

  private static String end(StringBuilder s) {
    return s.append("'DLRESULT OK'\nexit 0\n\n").toString();
  }

  @Override
  public Optional<byte[]> read(String account) {
    List<String> lines = lines(run(readScript(account), "read the tokens"), "read the tokens");
    List<String> parts = new ArrayList<>();
    for (String line : lines) {
      if (line.equals("DLRESULT MISSING")) {
        return Optional.empty();
      }
      if (line.startsWith("DLPART ")) {
        parts.add(line.substring("DLPART ".length()).strip());
      }
    }
    if (parts.isEmpty()) {
      throw new UnreadableTokensException("the Windows credential holds no value");
    }
    return Optional.of(ChunkedValue.join(parts));
  }

  @Override
  public void write(String account, byte[] value) {
    lines(
        run(writeScript(account, ChunkedValue.split(value, PART_SIZE)), "store the tokens"),
        "store the tokens");
  }

  @Override
  public void delete(String account) {
    lines(run(deleteScript(account), "delete the tokens"), "delete the tokens");
  }

  /** The output lines, once the script said it succeeded. */
  private static List<String> lines(CommandRunner.Result r, String action) {
    String out = r.stdoutText();
    Arrays.fill(r.stdout(), (byte) 0);
    List<String> lines = out.lines().map(String::strip).toList();
    for (String line : lines) {
      if (line.equals("DLRESULT OK") || line.equals("DLRESULT MISSING")) {
        return lines;
      }
      if (line.startsWith("DLRESULT ERROR")) {
        throw new StoreUnavailableException(
            "cannot "
                + action
                + " in the Windows Credential Manager (Win32 error "
                + line.substring("DLRESULT ERROR".length()).strip()
                + ")"
                + USE_MEMORY);
      }
    }
    throw new StoreUnavailableException(
        "cannot "
            + action
            + " in the Windows Credential Manager (PowerShell: "
            + r.reason()
            + ")"
            + USE_MEMORY);
  }

  private CommandRunner.Result run(String script, String action) {
    byte[] stdin = script.getBytes(StandardCharsets.UTF_8);
    try {
      return helper.run(command(), stdin, action, "Windows PowerShell");
    } finally {
      Arrays.fill(stdin, (byte) 0);
    }
  }
}
