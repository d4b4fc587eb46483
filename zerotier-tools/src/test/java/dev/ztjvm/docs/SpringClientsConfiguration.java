package dev.ztjvm.docs;

// The client beans shown in docs/spring-boot.md (calling other nodes over ZeroTier), imports included.
// region clients
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

@Configuration(proxyBeanMethods = false)
class ZeroTierClients {

  interface Orders {
    @GetExchange("/orders/{id}")
    String order(@PathVariable String id);
  }

  @Bean
  WebClient inventory(WebClient.Builder builder) {
    return builder.baseUrl("http://10.147.17.12:8080").build();   // over ZeroTier; https://api.example.com stays normal
  }

  @Bean
  RestClient billing(RestClient.Builder builder) {
    return builder.baseUrl("http://10.147.17.13:8080").build();
  }

  @Bean
  Orders orders(RestClient.Builder builder) {   // with zerotier.client.hosts[orders.zt]=10.147.17.14
    RestClient client = builder.baseUrl("http://orders.zt:8080").build();
    return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client)).build().createClient(Orders.class);
  }
}
// endregion
