package dev.ztjvm.docs;

// The controller shown in the root README.md, imports included.
// region hi
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class HiController {

  @GetMapping("/hi")
  String hi() {
    return "hi";
  }
}
// endregion
