package dev.ztjvm.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the application under test on a private, in-process ZeroTier: before the context starts, an in-process planet,
 * root and controller are started on loopback, a private network is created, an identity is made for the application
 * (authorized on the network unless {@link #authorize()} is false), and {@code zerotier.*} properties point the
 * application's managed node at them ({@code network-id}, {@code identity}, {@code planet}, loopback binding). No
 * internet is needed.
 *
 * <p>The test never touches the application's own state or accounts: unless the test sets them itself
 * ({@code @SpringBootTest(properties = ...)} or {@code @TestPropertySource}), {@code zerotier.storage} is a fresh
 * directory of the test context (deleted with it) and, with {@code zerotier-central} on the class path,
 * {@code zerotier.central.base-url}/{@code token} point at the in-process controller's Central-compatible API, so the
 * application's {@code ZeroTierCentralClient} and {@code BlockingZeroTierCentralClient} beans manage the test network.
 *
 * <p>The test can inject {@link LocalZeroTierNetwork} to authorize or deauthorize the application, create more nodes
 * ({@code localZeroTier().nodeBuilder()}) and reach the application over ZeroTier. Maven coordinates:
 * {@code dev.ztjvm:zerotier-spring-boot-test} (scope {@code test}; version from {@code dev.ztjvm:zerotier-bom}).
 *
 * <pre>{@code
 * @SpringBootTest
 * @LocalZeroTierTest
 * class MyAppTests {
 *   @Autowired LocalZeroTierNetwork zerotier;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface LocalZeroTierTest {

  /** Whether the application's node is authorized on the network from the start. */
  boolean authorize() default true;

  /** IPv4 route of the network; members get addresses from .10 to .250 of it. */
  String route() default "10.147.17.0/24";

  /** Whether members also get RFC4193 IPv6 addresses. */
  boolean rfc4193() default false;
}
