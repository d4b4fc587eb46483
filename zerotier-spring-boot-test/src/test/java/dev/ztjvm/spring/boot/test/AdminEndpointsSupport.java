package dev.ztjvm.spring.boot.test;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to an application's actuator endpoints: status and JSON body. */
final class AdminEndpointsSupport {

  record Reply(int status, String body) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(body);
    }
  }

  private final WebClient client;

  AdminEndpointsSupport(int port) {
    this.client = WebClient.create("http://127.0.0.1:" + port);
  }

  Reply get(String path) {
    return call(HttpMethod.GET, path, null);
  }

  Reply post(String path, @Nullable Map<String, Object> body) {
    return call(HttpMethod.POST, path, body);
  }

  Reply delete(String path) {
    return call(HttpMethod.DELETE, path, null);
  }

  private Reply call(HttpMethod method, String path, @Nullable Map<String, Object> body) {
    WebClient.RequestBodySpec spec = client.method(method).uri(path);
    WebClient.RequestHeadersSpec<?> request = body == null ? spec : spec.bodyValue(body);
    try {
      var entity = request.retrieve().toEntity(String.class).block(Duration.ofSeconds(60));
      return new Reply(entity.getStatusCode().value(), entity.getBody() == null ? "" : entity.getBody());
    } catch (WebClientResponseException e) {
      return new Reply(e.getStatusCode().value(), e.getResponseBodyAsString());
    }
  }
}
