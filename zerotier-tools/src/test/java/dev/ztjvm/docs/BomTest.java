package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * {@code zerotier-bom} manages every published module of the build (all but the BOM itself, the tools application,
 * the sample, the benchmarks and the architecture tests) at the project's version, and has no parent (an imported BOM
 * would bring its parent's dependency management — Spring Boot's — along).
 */
class BomTest {

  private static final Set<String> NOT_PUBLISHED = Set.of("zerotier-bom", "zerotier-tools", "sample-app",
      "benchmarks", "architecture-tests");

  @Test
  void bomListsEveryPublishedModuleAndHasNoParent() throws Exception {
    Path root = DocsSnippetsTest.repoRoot();
    Document parent = parse(root.resolve("pom.xml"));
    List<String> published = new ArrayList<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().strip();
      if (!NOT_PUBLISHED.contains(module)) {
        published.add(child(parse(root.resolve(module).resolve("pom.xml")).getDocumentElement(), "artifactId"));
      }
    }
    assertThat(published).contains("zerotier-sockets", "zerotier-spring-boot-starter");

    Document bom = parse(root.resolve("zerotier-bom/pom.xml"));
    Element project = bom.getDocumentElement();
    assertThat(project.getElementsByTagName("parent").getLength()).as("the BOM has no parent").isZero();
    assertThat(child(project, "version")).isEqualTo(child(parent.getDocumentElement(), "version"));
    List<String> managed = new ArrayList<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      assertThat(child(dependency, "groupId")).isEqualTo("dev.ztjvm");
      assertThat(child(dependency, "version")).isEqualTo("${project.version}");
      managed.add(child(dependency, "artifactId"));
    }
    assertThat(managed).containsAll(published);
  }

  private static Document parse(Path pom) throws Exception {
    assertThat(pom).exists();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(pom));
  }

  /** The text of the direct child element {@code name}. */
  private static String child(Element element, String name) {
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().strip();
      }
    }
    throw new AssertionError(element.getTagName() + " has no <" + name + ">");
  }
}
