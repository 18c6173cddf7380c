package io.devicelogin.cli.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.nayuki.qrcodegen.QrCode;
import io.nayuki.qrcodegen.QrCode.Ecc;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real proof that a camera can read what the terminal shows: the half-block lines are painted
 * into pixels the way a terminal paints them, and ZXing's QR detector (not told where the code is)
 * decodes the text back.
 */
class QrBlocksTest {
  private static final String URL = "https://login.example.com/device?user_code=WDJBMJHT";

  @ParameterizedTest
  @ValueSource(
      strings = {
        URL,
        "https://microsoft.com/devicelogin",
        "http://127.0.0.1:49152/device?user_code=BCDFGHJK",
        "https://id.example.com/oauth2/device/verify?user_code=BCDF-GHJK&client=a-rather-long-client-identifier&tenant=contoso.onmicrosoft.com"
      })
  void decodesOnADarkTerminal(String text) throws Exception {
    // Light ink on a dark background, dark around the drawn area: the polarity render() assumes.
    int[][] pixels = paint(QrBlocks.render(text), 0xFFFFFF, 0x000000);
    assertThat(decode(pixels, false)).isEqualTo(text);
  }

  @Test
  void onALightTerminalItIsANegativeThatOnlyInversionAwareScannersRead() throws Exception {
    int[][] pixels = paint(QrBlocks.render(URL), 0x000000, 0xFFFFFF);
    assertThatThrownBy(() -> decode(pixels, false)).isInstanceOf(NotFoundException.class);
    assertThat(decode(pixels, true)).isEqualTo(URL);
  }

  @Test
  void linesAreHalfBlocksOfOneWidthWithAQuietZone() {
    QrCode symbol = QrBlocks.encode(URL);
    List<String> lines = QrBlocks.render(URL);
    int width = symbol.size + 2 * QrBlocks.QUIET_ZONE;

    assertThat(lines).hasSize((width + 1) / 2);
    assertThat(lines).allSatisfy(line -> assertThat(line).hasSize(width).matches("[▀▄█ ]+"));
    assertThat(QrBlocks.columns(URL)).isEqualTo(width);
    // 4 modules of quiet zone: the first two lines, and four columns on both sides, are all ink.
    assertThat(lines.get(0)).isEqualTo("█".repeat(width));
    assertThat(lines.get(1)).isEqualTo("█".repeat(width));
    for (String line : lines) {
      assertThat(line.substring(0, 4)).isEqualTo("████");
      assertThat(line.substring(width - 4)).isEqualTo("████");
    }
    // The top-left finder pattern starts at module (4, 4): a dark row of 7 over a dark-light-dark
    // row.
    assertThat(lines.get(2).substring(4, 11)).isEqualTo(" ▄▄▄▄▄ ");
    // The symbol's rows are odd, so the last line is quiet zone in both halves.
    assertThat(lines.get(lines.size() - 1)).isEqualTo("█".repeat(width));
  }

  @Test
  void errorCorrectionIsRaisedWhereTheSizeAllows() {
    assertThat(QrBlocks.encode("https://x.example/d").errorCorrectionLevel.ordinal())
        .isGreaterThanOrEqualTo(Ecc.MEDIUM.ordinal());
    assertThat(QrBlocks.encode(URL).errorCorrectionLevel.ordinal())
        .isGreaterThanOrEqualTo(Ecc.LOW.ordinal());
  }

  @Test
  void fitsComparesTheWidthWithTheColumns() {
    int width = QrBlocks.columns(URL);
    assertThat(width).isLessThanOrEqualTo(80 - 2);
    assertThat(QrBlocks.fits(URL, width)).isTrue();
    assertThat(QrBlocks.fits(URL, width - 1)).isFalse();
    assertThat(QrBlocks.fits(URL, 0)).isFalse();
  }

  @Test
  void textTooLongForAnyQrCodeIsRefused() {
    String huge = "https://x.example/" + "a".repeat(3000);
    assertThat(QrBlocks.fits(huge, 10_000)).isFalse();
    assertThat(QrBlocks.columns(huge)).isEqualTo(-1);
    assertThatThrownBy(() -> QrBlocks.render(huge)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Paints lines as a terminal would: each character cell 4 px wide and 8 px tall, its upper half
   * inked for ▀ and █, its lower half for ▄ and █; 24 px of background around.
   */
  static int[][] paint(List<String> lines, int ink, int background) {
    int cellW = 4;
    int half = 4;
    int margin = 24;
    int w = lines.get(0).length() * cellW + 2 * margin;
    int h = lines.size() * 2 * half + 2 * margin;
    int[][] px = new int[h][w];
    for (int[] row : px) {
      Arrays.fill(row, background);
    }
    for (int ly = 0; ly < lines.size(); ly++) {
      String line = lines.get(ly);
      for (int cx = 0; cx < line.length(); cx++) {
        char c = line.charAt(cx);
        boolean top = c == '▀' || c == '█';
        boolean bottom = c == '▄' || c == '█';
        for (int dy = 0; dy < 2 * half; dy++) {
          boolean inked = dy < half ? top : bottom;
          if (!inked) {
            continue;
          }
          for (int dx = 0; dx < cellW; dx++) {
            px[margin + ly * 2 * half + dy][margin + cx * cellW + dx] = ink;
          }
        }
      }
    }
    return px;
  }

  static String decode(int[][] px, boolean alsoInverted) throws Exception {
    int h = px.length;
    int w = px[0].length;
    int[] flat = new int[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(px[y], 0, flat, y * w, w);
    }
    Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
    hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
    if (alsoInverted) {
      hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
    }
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, flat)));
    // MultiFormatReader, not QRCodeReader: only it honours ALSO_INVERTED.
    return new MultiFormatReader().decode(bitmap, hints).getText();
  }
}
