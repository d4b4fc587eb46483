package dev.ztjvm.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The module rules as ArchUnit conditions over "which module is this class in" (a function, so that the rules can be
 * tried on fixtures with a made-up module map as well as on the real build).
 */
final class ModuleRules {

  private ModuleRules() {}

  /**
   * A class in a package with an {@code internal} segment is used only from its own module. {@code exempt} holds
   * "module -> class" pairs that are allowed for now (each with the branch that removes it).
   */
  static ArchCondition<JavaClass> useNoInternalClassOfAnotherModule(
      Function<String, @Nullable String> moduleOf, Set<String> exempt) {
    return new ArchCondition<>("use no class of another module's internal package") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        String from = moduleOf.apply(item.getName());
        for (Dependency d : item.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass();
          String to = moduleOf.apply(target.getName());
          if (from == null || to == null || from.equals(to) || !isInternal(target.getPackageName())) {
            continue;
          }
          if (exempt.contains(from + " -> " + target.getName())) {
            continue;
          }
          events.add(SimpleConditionEvent.violated(d, from + " uses " + to + "'s internal " + target.getName()
              + ": " + d.getDescription()));
        }
      }
    };
  }

  /** Each module depends only on modules of a lower layer ({@code layers}: module name to layer number). */
  static ArchCondition<JavaClass> dependOnlyOnLowerLayers(
      Function<String, @Nullable String> moduleOf, Map<String, Integer> layers) {
    return new ArchCondition<>("depend only on modules of lower layers") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        String from = moduleOf.apply(item.getName());
        for (Dependency d : item.getDirectDependenciesFromSelf()) {
          String to = moduleOf.apply(d.getTargetClass().getName());
          if (from == null || to == null || from.equals(to)) {
            continue;
          }
          Integer fromLayer = layers.get(from);
          Integer toLayer = layers.get(to);
          if (fromLayer == null || toLayer == null || toLayer >= fromLayer) {
            events.add(SimpleConditionEvent.violated(d, from + " (layer " + fromLayer + ") depends on " + to
                + " (layer " + toLayer + "): " + d.getDescription()));
          }
        }
      }
    };
  }

  static boolean isInternal(String packageName) {
    return packageName.endsWith(".internal") || packageName.contains(".internal.");
  }
}
