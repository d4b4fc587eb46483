package dev.ztjvm.controller;

import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the network and member editors share: the JSON record they edit in place and the fluent writes into it.
 *
 * @param <E> the editor type, returned by the fluent writes
 */
abstract sealed class JsonRecordEditor<E extends JsonRecordEditor<E>> permits MemberEditor, NetworkEditor {
  final Map<String, Object> m;

  JsonRecordEditor(Map<String, Object> m) {
    this.m = m;
  }

  /** The raw JSON object being edited (changes are saved). */
  public Map<String, Object> json() {
    return m;
  }

  abstract E self();

  /** Sets one field. */
  final E set(String key, Object value) {
    m.put(key, value);
    return self();
  }

  /** Appends to the list field {@code key} (created if absent). */
  final E append(String key, Object value) {
    List<Object> l = ControllerJson.list(m, key);
    l.add(value);
    return set(key, l);
  }

  /** The addresses as JSON strings (dotted quad / RFC 5952). */
  static List<Object> formatAll(List<InetAddress> addresses) {
    List<Object> l = new ArrayList<>();
    for (InetAddress a : addresses) {
      l.add(IpPrefix.format(a));
    }
    return l;
  }
}
