// libFuzzer target for the OpenRaster reader and its XML parser. On arbitrary bytes:
//  * parse_xml either succeeds or throws doc::Error; every decoded attribute value survives
//    xml_escape + parse_xml unchanged;
//  * decode_ora either succeeds or throws doc::Error — on the bytes as an archive when they start
//    with "PK", otherwise on a fixed archive whose stack.xml is the bytes (so the fuzzer explores
//    stack.xml semantics without having to build zips);
//  * decoding straight into tiles (ReadLimits::layers_as_tiles) succeeds exactly when decoding into
//    images does, with the same pixels;
//  * what decode_ora returns for a small canvas can be written (encode_ora) and read back with the
//    same layers, names, positions, flags and attributes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "strata/doc/error.h"
#include "strata/io/image_codec.h"
#include "strata/io/openraster.h"
#include "xml_lite.h"
#include "zip_archive.h"

namespace {

using namespace strata;
using namespace strata::io;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_escape_round_trip(const detail::XmlElement& e, int depth = 0) {
  if (depth > 70) return;
  for (const auto& [key, value] : e.attributes) {
    auto again = detail::parse_xml("<a v=\"" + detail::xml_escape(value) + "\"/>", "again.xml");
    check(*again.attribute("v") == value);
  }
  for (const auto& child : e.children) check_escape_round_trip(child, depth + 1);
}

std::vector<std::uint8_t> wrap_stack_xml(std::string_view xml) {
  static const std::vector<std::uint8_t> png0 = encode_png(doc::Image8(2, 3, 4, 200));
  static const std::vector<std::uint8_t> png1 = encode_png(doc::Image8(1, 1, 3, 9));
  detail::ZipWriter zip;
  zip.add("mimetype", {'i', 'm', 'a', 'g', 'e', '/', 'o', 'p', 'e', 'n', 'r', 'a', 's', 't', 'e', 'r'}, true);
  zip.add("stack.xml", std::vector<std::uint8_t>(xml.begin(), xml.end()), false);
  zip.add("data/0.png", png0, true);
  zip.add("data/1.png", png1, true);
  return zip.finish();
}

void check_write_round_trip(const OraStack& s, const ReadLimits& limits) {
  if (static_cast<std::uint64_t>(s.width) * static_cast<std::uint64_t>(s.height) > 256 * 256) return;
  const OraStack r = decode_ora(encode_ora(s), "again.ora", limits);
  check(r.width == s.width && r.height == s.height && r.layers.size() == s.layers.size());
  check(r.strata_json == s.strata_json);
  for (std::size_t i = 0; i < s.layers.size(); ++i) {
    const OraLayer &a = s.layers[i], &b = r.layers[i];
    check(a.name == b.name && a.x == b.x && a.y == b.y && a.opacity == b.opacity && a.visible == b.visible);
    check(a.locked == b.locked && a.attributes == b.attributes && a.pixels.pixels == b.pixels.pixels);
    check(a.composite_op == b.composite_op || (a.composite_op.empty() && b.composite_op == "svg:src-over"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_escape_round_trip(detail::parse_xml(text, "fuzz.xml"));
  } catch (const doc::Error&) {
  }
  ReadLimits limits;
  limits.max_layers = 64;
  limits.max_side = 4096;
  limits.max_canvas_pixels = 1u << 20;
  limits.max_layer_pixels = 1u << 20;
  limits.max_total_bytes = 64u << 20;
  const bool archive = text.substr(0, 2) == "PK";
  const std::vector<std::uint8_t> bytes = archive ? std::vector<std::uint8_t>(data, data + size) : wrap_stack_xml(text);
  OraStack stack;
  try {
    stack = decode_ora(bytes, "fuzz.ora", limits);
  } catch (const doc::Error&) {
    return 0;
  }
  ReadLimits as_tiles = limits;
  as_tiles.layers_as_tiles = true;
  const OraStack tiled = decode_ora(bytes, "fuzz.ora", as_tiles);  // a throw here aborts: it must not fail
  check(tiled.layers.size() == stack.layers.size());
  for (std::size_t i = 0; i < stack.layers.size(); ++i) {
    const doc::Image8& want = stack.layers[i].pixels;
    check(tiled.layers[i].tiled.has_value() && tiled.layers[i].tiled->rect == doc::Rect{0, 0, want.width, want.height});
    check(tiled.layers[i].tiled->tiles.read(tiled.layers[i].tiled->rect).pixels == want.pixels);
  }
  check_write_round_trip(stack, limits);
  return 0;
}
