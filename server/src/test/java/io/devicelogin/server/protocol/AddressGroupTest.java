package io.devicelogin.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every per-address limit counts an IPv4 address as itself and an IPv6 address as its /64. */
class AddressGroupTest {
  @Test
  void anIpv4AddressIsItsOwnGroup() {
    assertThat(AddressGroup.of("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(AddressGroup.of("203.0.113.8")).isNotEqualTo(AddressGroup.of("203.0.113.7"));
  }

  @Test
  void anIpv6AddressCountsAsItsSlashSixtyFour() {
    assertThat(AddressGroup.of("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressGroup.of("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressGroup.of("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
    assertThat(AddressGroup.of("::1")).isEqualTo("::/64");
  }

  @Test
  void anIpv4MappedAddressCountsAsTheIpv4Address() {
    RequestOrigin direct = new RequestOrigin(java.util.Set.of());
    Origin mapped = direct.of("::ffff:203.0.113.7", List.of(), null);
    assertThat(mapped.addressGroup()).isEqualTo("203.0.113.7");
    assertThat(AddressGroup.of("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
  }

  @Test
  void aGroupIsItsOwnGroupAndNonAddressesStayAsTheyAre() {
    assertThat(AddressGroup.of("2001:db8:1:2::/64")).isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressGroup.of("unix-socket")).isEqualTo("unix-socket");
    assertThat(AddressGroup.of(null)).isNull();
  }

  @Test
  void aSocketsAddressIsGroupedAsItsTextSoConnectionsCountAsRequestsDo() throws Exception {
    assertThat(AddressGroup.ofSocket(InetAddress.getByName("2001:db8:1:2::1")))
        .isEqualTo(AddressGroup.ofSocket(InetAddress.getByName("2001:db8:1:2:abcd::9")))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(AddressGroup.ofSocket(InetAddress.getByName("::ffff:203.0.113.7")))
        .isEqualTo("203.0.113.7");
  }
}
