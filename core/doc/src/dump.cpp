#include "strata/doc/dump.h"

#include <cstdio>

namespace strata::doc {

namespace {
std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}
}  // namespace

std::string dump(const Layer& l) {
  std::string s = "layer " + std::to_string(l.id.value) + " " + to_string(l.kind) + " " + quoted(l.name) + " pos " +
                  std::to_string(l.x) + " " + std::to_string(l.y) + " visible=" + std::to_string(int{l.visible}) +
                  " locked=" + std::to_string(int{l.locked});
  if (l.is_mask()) {
    s += " feather=" + std::to_string(l.feather) + " inverted=" + std::to_string(int{l.inverted});
  } else {
    s += " opacity=" + fixed3(l.opacity) + " strength=" + fixed3(l.strength);
  }
  s += "\n  pixels ";
  if (l.pixels.empty()) return s + "empty\n";
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", l.pixels.checksum());
  return s + "bounds " + to_string(l.content_bounds()) + " tiles " + std::to_string(l.pixels.tiles().size()) +
         " crc " + crc + "\n";
}

std::string dump(const Document& doc) {
  std::string s = "bbox " + to_string(doc.bbox()) + "\nnext_id " + std::to_string(doc.next_layer_id().value) + "\n";
  for (const Layer& l : doc.layers()) s += dump(l);
  return s;
}

}  // namespace strata::doc
