package io.devicelogin.e2e.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A person on the server's pages in Chromium, one step at a time: each step waits for the page it
 * needs and for the page its click leads to.
 */
final class PersonInChromium {
  private final Chromium chromium;

  PersonInChromium(Chromium chromium) {
    this.chromium = chromium;
  }

  /** Opens {@code page}, one with the code form, and returns the code field once it shows. */
  WebElement codeField(String page) {
    chromium.driver.get(page);
    return chromium
        .waiting()
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("user_code")));
  }

  /** Opens the terminal's link ({@code verification_uri_complete}) and confirms its code. */
  void followCodeLink(String link) {
    chromium.driver.get(link);
    chromium
        .waiting()
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("form[action='/device'] button")))
        .click();
  }

  /** Fills in and sends the sign-in page the browser was sent to. */
  void signIn(String username, String password) {
    WebElement user =
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    user.clear();
    user.sendKeys(username);
    WebElement field = chromium.driver.findElement(By.id("password"));
    field.clear();
    field.sendKeys(password);
    field.submit();
    chromium.waiting().until(ExpectedConditions.stalenessOf(field));
  }

  /** Waits for the consent page and returns its text. */
  String consentText() {
    chromium.waiting().until(ExpectedConditions.urlContains("/device/consent"));
    chromium
        .waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("form[action='/device/consent']")));
    return chromium.driver.findElement(By.tagName("main")).getText();
  }

  /** Clicks {@code approve} or {@code deny} on the consent page and waits for the result page. */
  void decide(String decision) {
    WebElement button =
        chromium
            .waiting()
            .until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("button[name=decision][value=" + decision + "]")));
    button.click();
    chromium.waiting().until(ExpectedConditions.stalenessOf(button));
    chromium
        .waiting()
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("section.result")));
  }
}
