package io.devicelogin.client.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scope of an access request or grant (RFC 6749 §3.3): an ordered set of scope tokens, written
 * as a list delimited by spaces. Every token is checked here, once, against the grammar {@code
 * scope-token = 1*NQCHAR}, {@code NQCHAR = %x21 / %x23-5B / %x5D-7E}: printable ASCII without
 * space, {@code "} or {@code \}.
 *
 * <p>Two scopes are equal when they hold the same tokens, in any order; the order is kept for
 * display and for the wire.
 */
public final class Scope implements Iterable<String> {
  private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
  private static final Scope EMPTY = new Scope(Set.of());

  /** What every refusal of a token says; it never echoes the token, which came from outside. */
  public static final String NOT_A_SCOPE_TOKEN =
      "a scope holds characters RFC 6749 section 3.3 does not allow";

  private final Set<String> tokens;

  private Scope(Set<String> tokens) {
    this.tokens = tokens;
  }

  /** The scope without tokens, which on the wire is no {@code scope} parameter at all. */
  public static Scope empty() {
    return EMPTY;
  }

  /**
   * The given tokens in order, repeats dropped.
   *
   * @throws IllegalArgumentException if one is not a scope token
   */
  public static Scope of(String... tokens) {
    return of(List.of(tokens));
  }

  /** As {@link #of(String...)}. */
  public static Scope of(Collection<String> tokens) {
    Set<String> checked = new LinkedHashSet<>();
    for (String token : tokens) {
      if (!isToken(token)) {
        throw new IllegalArgumentException(NOT_A_SCOPE_TOKEN);
      }
      checked.add(token);
    }
    return holding(checked);
  }

  /**
   * Reads the space-delimited form. Runs of spaces and spaces at either end are taken as one
   * delimiter, so text of spaces only is the empty scope.
   *
   * @throws IllegalArgumentException if a token holds a character outside NQCHAR (a tab, a quote, a
   *     letter beyond ASCII…)
   */
  public static Scope parse(String text) {
    List<String> tokens = new ArrayList<>();
    for (String token : text.split(" ")) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    return of(tokens);
  }

  /** Whether {@code token} is one scope token of RFC 6749 §3.3. */
  public static boolean isToken(String token) {
    return token != null && SCOPE_TOKEN.matcher(token).matches();
  }

  /** The space-delimited form, as sent in a {@code scope} parameter or member. */
  public String format() {
    return String.join(" ", tokens);
  }

  public boolean isEmpty() {
    return tokens.isEmpty();
  }

  public int size() {
    return tokens.size();
  }

  public boolean contains(String token) {
    return tokens.contains(token);
  }

  /** Whether every token of this scope is in {@code other}. */
  public boolean isSubsetOf(Scope other) {
    return other.tokens.containsAll(tokens);
  }

  /**
   * The tokens of this scope that {@code permitted} holds too, in this scope's order: what a client
   * asked for, narrowed to what it may have.
   */
  public Scope narrowedTo(Scope permitted) {
    return retain(permitted, true);
  }

  /** The tokens of this scope that {@code other} does not hold, in this scope's order. */
  public Scope without(Scope other) {
    return retain(other, false);
  }

  private Scope retain(Scope other, boolean inOther) {
    Set<String> kept = new LinkedHashSet<>();
    for (String token : tokens) {
      if (other.tokens.contains(token) == inOther) {
        kept.add(token);
      }
    }
    return kept.size() == tokens.size() ? this : holding(kept);
  }

  private static Scope holding(Set<String> checked) {
    return checked.isEmpty() ? EMPTY : new Scope(Collections.unmodifiableSet(checked));
  }

  /** The tokens, in order. */
  public List<String> tokens() {
    return List.copyOf(tokens);
  }

  /** The tokens as an unmodifiable set that iterates in order. */
  public Set<String> asSet() {
    return tokens;
  }

  @Override
  public Iterator<String> iterator() {
    return tokens.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scope other && tokens.equals(other.tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }

  /** The space-delimited form, as {@link #format()}. */
  @Override
  public String toString() {
    return format();
  }
}
