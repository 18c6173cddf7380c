package io.devicelogin.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scope of RFC 6749 §3.3: its grammar, its space-delimited form, and set arithmetic. */
class ScopeTest {

  @Provide
  Arbitrary<String> scopeTokens() {
    // NQCHAR = %x21 / %x23-5B / %x5D-7E
    return Arbitraries.strings()
        .withChars('!')
        .withCharRange('#', '[')
        .withCharRange(']', '~')
        .ofMinLength(1)
        .ofMaxLength(20);
  }

  @Provide
  Arbitrary<Scope> scopes() {
    return scopeTokens().list().ofMaxSize(8).map(Scope::of);
  }

  @Property(tries = 300)
  void parsingTheFormatGivesTheSameScopeInTheSameOrder(@ForAll("scopes") Scope scope) {
    Scope back = Scope.parse(scope.format());

    assertThat(back).isEqualTo(scope);
    assertThat(back.tokens()).isEqualTo(scope.tokens());
  }

  @Property
  void everyTokenOfTheGrammarIsAScopeToken(@ForAll("scopeTokens") String token) {
    assertThat(Scope.isToken(token)).isTrue();
    assertThat(Scope.parse(token).tokens()).containsExactly(token);
  }

  @Property
  void aTokenWithACharacterOutsideNqcharIsRefused(
      @ForAll("scopeTokens") String before,
      @ForAll("outsideNqchar") char bad,
      @ForAll("scopeTokens") String after) {
    String token = before + bad + after;

    assertThat(Scope.isToken(token)).isFalse();
    assertThatThrownBy(() -> Scope.of(token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a scope holds characters RFC 6749 section 3.3 does not allow");
  }

  @Provide
  Arbitrary<Character> outsideNqchar() {
    return Arbitraries.of('"', '\\', '\t', '\n', '\u007f', '\u0000', 'é', '\u202e', ' ');
  }

  @Property(tries = 300)
  void narrowingGivesWhatIsInBothInTheAskedOrder(
      @ForAll("scopes") Scope asked, @ForAll("scopes") Scope permitted) {
    Scope narrowed = asked.narrowedTo(permitted);

    assertThat(narrowed.isSubsetOf(asked)).isTrue();
    assertThat(narrowed.isSubsetOf(permitted)).isTrue();
    assertThat(narrowed.tokens())
        .isEqualTo(asked.tokens().stream().filter(permitted::contains).toList());
    assertThat(asked.without(permitted).tokens())
        .isEqualTo(asked.tokens().stream().filter(t -> !permitted.contains(t)).toList());
  }

  @Test
  void theFormIsTheTokensDelimitedBySpaces() {
    assertThat(Scope.of("openid", "profile", "offline_access").format())
        .isEqualTo("openid profile offline_access");
    assertThat(Scope.of("openid", "profile").toString()).isEqualTo("openid profile");
    assertThat(Scope.empty().format()).isEmpty();
  }

  @Test
  void runsOfSpacesAndSpacesAtEitherEndAreOneDelimiter() {
    assertThat(Scope.parse("  openid   profile ").tokens()).containsExactly("openid", "profile");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "    "})
  void textWithoutTokensIsTheEmptyScope(String text) {
    assertThat(Scope.parse(text)).isEqualTo(Scope.empty());
    assertThat(Scope.parse(text).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openid \"quoted\"", "a\tb", "back\\slash", "café", "openid\nprofile"})
  void aTokenOutsideTheGrammarIsRefusedWithoutEchoingIt(String text) {
    assertThatThrownBy(() -> Scope.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(Scope.NOT_A_SCOPE_TOKEN);
  }

  @Test
  void anEmptyTokenIsNotAScopeToken() {
    assertThat(Scope.isToken("")).isFalse();
    assertThat(Scope.isToken(null)).isFalse();
    assertThatThrownBy(() -> Scope.of("openid", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void repeatsAreDroppedAndTheFirstPlaceKept() {
    assertThat(Scope.parse("read write read").tokens()).containsExactly("read", "write");
    assertThat(Scope.of("b", "a", "b").size()).isEqualTo(2);
  }

  @Test
  void scopesWithTheSameTokensAreEqualInAnyOrder() {
    assertThat(Scope.of("read", "write")).isEqualTo(Scope.of("write", "read"));
    assertThat(Scope.of("read", "write").hashCode())
        .isEqualTo(Scope.of("write", "read").hashCode());
    assertThat(Scope.of("read")).isNotEqualTo(Scope.of("read", "write"));
  }

  @Test
  void aSubsetHoldsNoTokenTheOtherLacks() {
    assertThat(Scope.of("read").isSubsetOf(Scope.of("read", "write"))).isTrue();
    assertThat(Scope.empty().isSubsetOf(Scope.of("read"))).isTrue();
    assertThat(Scope.of("read", "admin").isSubsetOf(Scope.of("read", "write"))).isFalse();
  }

  @Test
  void narrowingKeepsWhatTheClientMayHave() {
    Scope asked = Scope.of("openid", "admin", "email");
    Scope permitted = Scope.of("email", "openid", "profile");

    assertThat(asked.narrowedTo(permitted).tokens()).containsExactly("openid", "email");
    assertThat(asked.without(permitted).tokens()).containsExactly("admin");
    assertThat(asked.narrowedTo(Scope.empty())).isEqualTo(Scope.empty());
  }

  @Test
  void containsAndTheViewsAgreeWithTheTokens() {
    Scope scope = Scope.of("openid", "email");

    assertThat(scope.contains("email")).isTrue();
    assertThat(scope.contains("profile")).isFalse();
    assertThat(scope.asSet()).containsExactly("openid", "email");
    assertThat(scope).containsExactly("openid", "email");
    assertThat(Scope.of(Set.of("x"))).isEqualTo(Scope.of("x"));
    assertThat(Scope.of(List.of())).isSameAs(Scope.empty());
  }

  @Test
  void theViewsCannotChangeTheScope() {
    Scope scope = Scope.of("openid");

    assertThatThrownBy(() -> scope.asSet().add("admin"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> scope.tokens().add("admin"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(scope.tokens()).containsExactly("openid");
  }
}
