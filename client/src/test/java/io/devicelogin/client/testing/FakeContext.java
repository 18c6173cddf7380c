package io.devicelogin.client.testing;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The smallest ExtensionContext the guard needs: a display name and a store. */
final class FakeContext {
  private FakeContext() {}

  static ExtensionContext create(String displayName) {
    Map<Object, Object> values = new HashMap<>();
    ExtensionContext.Store store =
        (ExtensionContext.Store)
            Proxy.newProxyInstance(
                FakeContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.Store.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "put" -> {
                        values.put(args[0], args[1]);
                        yield null;
                      }
                      case "remove" -> values.remove(args[0]);
                      case "get" -> values.get(args[0]);
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return (ExtensionContext)
        Proxy.newProxyInstance(
            FakeContext.class.getClassLoader(),
            new Class<?>[] {ExtensionContext.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getStore" -> store;
                  case "getDisplayName" -> displayName;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
