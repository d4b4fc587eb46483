package dev.ztjvm.sockets;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh {@link TwoHostNet}: before each test every instance field of that type in the test class
 * is set to a new one, after the test the net the field then holds is closed (a test may replace it, e.g. with other
 * TCP settings, after closing the one it got).
 */
public final class TwoHostNetExtension implements BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Object test = context.getRequiredTestInstance();
    for (Field f : netFields(test.getClass())) {
      f.set(test, new TwoHostNet());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Object test = context.getRequiredTestInstance();
    for (Field f : netFields(test.getClass())) {
      TwoHostNet net = (TwoHostNet) f.get(test);
      if (net != null) {
        net.close();
      }
    }
  }

  private static List<Field> netFields(Class<?> testClass) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = testClass; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == TwoHostNet.class && !Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          fields.add(f);
        }
      }
    }
    return fields;
  }
}
