package dev.ztjvm.sockets;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalZeroTier} (root and controller in process) for all tests of a class: before the class's
 * {@code @BeforeAll} methods every static field of that type is set to a started one, after its {@code @AfterAll}
 * methods (which close the nodes the class made, e.g. with {@link #closeQuietly}) it is closed.
 */
public final class LocalZeroTierExtension implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    for (Field f : ztFields(context.getRequiredTestClass())) {
      f.set(null, LocalZeroTier.start());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (Field f : ztFields(context.getRequiredTestClass())) {
      LocalZeroTier zt = (LocalZeroTier) f.get(null);
      if (zt != null) {
        zt.close();
        f.set(null, null);
      }
    }
  }

  /** Closes each non-null one in order; a failure to close one does not keep the others open. */
  public static void closeQuietly(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static List<Field> ztFields(Class<?> testClass) {
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = testClass; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == LocalZeroTier.class && Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          fields.add(f);
        }
      }
    }
    return fields;
  }
}
