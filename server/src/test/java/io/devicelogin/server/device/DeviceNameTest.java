package io.devicelogin.server.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@code device_name} a client sends is kept readable: no invisible or direction-changing
 * characters, one space between words, and short enough for the pages.
 */
class DeviceNameTest {
  @Test
  void aPlainNameIsKeptAsSent() {
    assertThat(DeviceName.clean("build-01 (Linux 6.1)")).contains("build-01 (Linux 6.1)");
  }

  @Test
  void controlFormatAndBidirectionalCharactersAreRemovedAndSpacesMadeOne() {
    assertThat(DeviceName.clean("\u202Ebuild\u200B-01\u0085\t\u00A0 (Linux\r\n6.1)\u2066 "))
        .contains("build-01 (Linux 6.1)");
  }

  @Test
  void aNameWithNothingReadableIsNoName() {
    assertThat(DeviceName.clean(null)).isEmpty();
    assertThat(DeviceName.clean(" \t\u200B\u202E")).isEmpty();
  }

  @Test
  void aLongNameIsCutToTheLimitWithoutSplittingACharacter() {
    String emoji = "\uD83D\uDCBB";
    String cut = DeviceName.clean(emoji.repeat(300)).orElseThrow();
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(DeviceName.MAX_LENGTH);
    assertThat(cut).isEqualTo(emoji.repeat(DeviceName.MAX_LENGTH));
  }
}
