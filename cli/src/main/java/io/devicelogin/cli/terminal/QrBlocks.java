package io.devicelogin.cli.terminal;

import io.nayuki.qrcodegen.DataTooLongException;
import io.nayuki.qrcodegen.QrCode;
import io.nayuki.qrcodegen.QrSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A QR code drawn with Unicode half blocks, two modules per character cell: {@code ▀ ▄ █} and
 * space.
 *
 * <p><b>Polarity.</b> A QR code is dark modules on a light ground, and a terminal can only draw
 * "ink" (its foreground colour) on its background. The lines from {@link #render} ink the
 * <em>light</em> modules and the quiet zone and leave the dark modules as background, which is
 * right on a dark terminal (light text on a dark background: the default of most terminal
 * applications, editors' terminals and Windows Terminal). On a light terminal the same lines come
 * out as a negative; the phone cameras of today (iOS Camera, Google Lens) read those too, but older
 * scanners may not. {@link LoginScreen} therefore paints the QR lines bright white on black when
 * escape codes are allowed, which gives the right polarity on any background; only with {@code
 * NO_COLOR} on a light terminal does a person get the negative.
 *
 * <p>The quiet zone is the 4 modules the standard asks for (5 at the bottom when the module rows
 * are odd, so that every line is whole). Error correction starts at LOW, to keep the code small
 * enough for an 80-column terminal, and is raised as far as the same symbol size allows (usually
 * MEDIUM or better for a short URL).
 */
public final class QrBlocks {
  /** Modules of light margin around the symbol. */
  public static final int QUIET_ZONE = 4;

  private QrBlocks() {}

  /**
   * The lines that draw {@code text}'s QR code, all of the same length; no line ends in a newline.
   *
   * @throws IllegalArgumentException if the text is too long for any QR code
   */
  public static List<String> render(String text) {
    QrCode qr = encode(text);
    int size = qr.size;
    int width = size + 2 * QUIET_ZONE;
    int height = size + 2 * QUIET_ZONE;
    List<String> lines = new ArrayList<>();
    for (int y = 0; y < height; y += 2) {
      StringBuilder line = new StringBuilder(width);
      for (int x = 0; x < width; x++) {
        boolean topInk = light(qr, x - QUIET_ZONE, y - QUIET_ZONE);
        boolean bottomInk = light(qr, x - QUIET_ZONE, y + 1 - QUIET_ZONE);
        line.append(topInk ? (bottomInk ? '█' : '▀') : (bottomInk ? '▄' : ' '));
      }
      lines.add(line.toString());
    }
    return List.copyOf(lines);
  }

  /**
   * The width of {@link #render}'s lines, in terminal columns; -1 if the text cannot be encoded.
   */
  public static int columns(String text) {
    try {
      return encode(text).size + 2 * QUIET_ZONE;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Whether {@code text}'s QR code fits in a terminal {@code columns} wide. */
  public static boolean fits(String text, int columns) {
    int needed = columns(text);
    return needed > 0 && needed <= columns;
  }

  static QrCode encode(String text) {
    try {
      return QrCode.encodeSegments(QrSegment.makeSegments(text), QrCode.Ecc.LOW, 1, 40, -1, true);
    } catch (DataTooLongException e) {
      throw new IllegalArgumentException(
          "too long for a QR code: " + text.length() + " characters", e);
    }
  }

  /** Whether the module at (x, y) is light; everything outside the symbol is quiet zone. */
  private static boolean light(QrCode qr, int x, int y) {
    return !qr.getModule(x, y);
  }
}
