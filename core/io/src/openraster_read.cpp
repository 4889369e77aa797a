// Reading OpenRaster files: zip, mimetype, stack.xml, layer PNGs, merged image, Strata's JSON —
// every size checked against ReadLimits before anything is allocated for it, and every PNG entry's
// signature, IHDR and declared size checked from its first bytes before it is inflated.
#include <algorithm>
#include <cmath>
#include <string>

#include "detail.h"
#include "openraster_detail.h"
#include "parallel.h"
#include "png_tiles.h"
#include "strata/io/openraster.h"
#include "strata/io/png_text.h"
#include "xml_lite.h"
#include "zip_archive.h"

namespace strata::io {

namespace {

using doc::ErrorCode;
using detail::XmlElement;

constexpr std::uint64_t kMaxStackXmlBytes = 64ull << 20;
constexpr std::uint64_t kMaxStrataJsonBytes = 64ull << 20;
constexpr long long kMaxOffset = 1ll << 28;
// Room in a PNG entry for what is not pixels: text, ICC profile, EXIF, chunk framing.
constexpr std::uint64_t kPngAncillaryRoom = 16ull << 20;
// The signature (8 bytes) and the IHDR chunk (length, type, 13 bytes of data, CRC).
constexpr std::size_t kPngHeadBytes = 33;

// The most bytes a PNG of w×h can usefully hold uncompressed in its entry: scanlines at the widest
// format (16-bit RGBA, a filter byte per row, Adam7's extra pass rows), deflate's worst case
// (stored blocks, 5 bytes per 64 KiB) and chunk framing (within raw / 8), plus ancillary room.
std::uint64_t png_entry_bound(std::uint64_t w, std::uint64_t h) {
  const std::uint64_t raw = h * (1 + 8 * w) + 2 * h + 64;
  return raw + raw / 8 + kPngAncillaryRoom;
}

// A layer as stack.xml describes it, before its pixels are read.
struct PendingLayer {
  OraLayer layer;
  std::string src;
  int line = 0;
};

// What a group contributes to the layers inside it.
struct GroupState {
  long long x = 0, y = 0;
  float opacity = 1.0f;
  bool visible = true;
};

std::string show(std::string_view text) {
  std::string s = sanitize_utf8(text.substr(0, 64));
  return "\"" + s + (text.size() > 64 ? "...\"" : "\"");
}

class OraReader {
 public:
  OraReader(std::span<const std::uint8_t> bytes, std::string_view name, const ReadLimits& limits)
      : zip_(bytes, std::string(name)), name_(name), limits_(limits) {}

  OraStack read() {
    check_mimetype();
    const XmlElement root = parse_stack_xml();
    OraStack out;
    const XmlElement& stack = canvas(root, out);
    std::vector<PendingLayer> pending;
    collect(stack, GroupState{}, pending);
    check_entry_sizes(pending);
    // Entries are read and checked against the limits in order (libzip is single-threaded), the
    // PNGs decoded in parallel.
    std::vector<std::vector<std::uint8_t>> blobs;
    blobs.reserve(pending.size());
    for (auto& p : pending) {
      auto e = zip_.find(p.src);
      if (!e) detail::corrupt(where(p.src), "entry missing");
      png_entry_header(p.src, *e, "layer " + show(p.layer.name));
      blobs.push_back(read_entry(p.src, *e));
      check_png(p.src, blobs.back(), "layer " + show(p.layer.name));
    }
    detail::parallel_for(pending.size(), [&](std::size_t i) {
      if (limits_.layers_as_tiles) {
        auto d = detail::decode_png_to_tiles(blobs[i], where(pending[i].src), decode_options());
        pending[i].layer.tiled = OraTiles{std::move(d.tiles), {0, 0, d.width, d.height}, {0, 0, 0}};
      } else {
        pending[i].layer.pixels = decode_checked(pending[i].src, blobs[i]);
      }
      std::vector<std::uint8_t>().swap(blobs[i]);
    });
    for (auto& p : pending) out.layers.push_back(std::move(p.layer));
    read_merged(out);
    if (auto json = zip_.find(detail::kStrataJsonEntry)) {
      if (json->size > kMaxStrataJsonBytes) {
        detail::fail(ErrorCode::TooLarge, where(detail::kStrataJsonEntry),
                     std::to_string(json->size) + " bytes, more than the limit of " + std::to_string(kMaxStrataJsonBytes));
      }
      auto bytes = read_entry(detail::kStrataJsonEntry, *json);
      out.strata_json.assign(bytes.begin(), bytes.end());
    }
    for (const auto& entry_name : zip_.names()) {
      if (entry_name.rfind("strata/", 0) != 0 || entry_name == detail::kStrataJsonEntry || entry_name.back() == '/') continue;
      auto e = zip_.find(entry_name);
      if (!e) continue;
      if (entry_name.ends_with(".png")) png_entry_header(entry_name, *e, "image");
      out.strata_files[entry_name] = read_entry(entry_name, *e);
    }
    return out;
  }

 private:
  std::string where(std::string_view entry) const { return name_ + ": " + std::string(entry); }
  [[noreturn]] void xml_error(int line, const std::string& what) const {
    detail::corrupt(where("stack.xml"), "line " + std::to_string(line) + ": " + what);
  }

  void take(std::uint64_t bytes, std::string_view entry, const char* what) {
    if (bytes > limits_.max_total_bytes - std::min(used_, limits_.max_total_bytes)) {
      detail::fail(ErrorCode::TooLarge, where(entry),
                   std::string(what) + " of " + std::to_string(bytes) + " bytes would bring the total to more than the limit of " +
                       std::to_string(limits_.max_total_bytes) + " bytes");
    }
    used_ += bytes;
  }

  std::vector<std::uint8_t> read_entry(std::string_view entry, const detail::ZipReader::Entry& e) {
    take(e.size, entry, "uncompressed entry");
    return zip_.read(entry, e, e.size);
  }

  void check_mimetype() {
    auto e = zip_.find("mimetype");
    if (!e) detail::corrupt(where("mimetype"), "entry missing: not an OpenRaster file");
    if (e->size > 256) detail::corrupt(where("mimetype"), "expected \"image/openraster\", found " + std::to_string(e->size) + " bytes");
    auto bytes = read_entry("mimetype", *e);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (detail::trim(text) != detail::kOraMimetype) {
      detail::corrupt(where("mimetype"), "expected \"image/openraster\", found " + show(text));
    }
  }

  XmlElement parse_stack_xml() {
    auto e = zip_.find("stack.xml");
    if (!e) detail::corrupt(where("stack.xml"), "entry missing");
    if (e->size > kMaxStackXmlBytes) {
      detail::fail(ErrorCode::TooLarge, where("stack.xml"), std::to_string(e->size) + " bytes, more than the limit of " + std::to_string(kMaxStackXmlBytes));
    }
    auto bytes = read_entry("stack.xml", *e);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const auto max_elements = static_cast<std::size_t>(std::max(limits_.max_layers, 0)) * 2 + 64;
    return detail::parse_xml(text, where("stack.xml"), 64, max_elements);
  }

  int positive(const XmlElement& image, const char* key) const {
    const std::string* v = image.attribute(key);
    if (!v) xml_error(image.line, std::string("<image> has no ") + key + " attribute");
    auto n = detail::parse_u64(*v);
    if (!n || *n == 0) xml_error(image.line, std::string("<image> ") + key + "=" + show(*v) + ": expected a positive integer");
    if (*n > static_cast<std::uint64_t>(limits_.max_side)) {
      detail::fail(ErrorCode::TooLarge, where("stack.xml"),
                   std::string("canvas ") + key + " is " + std::to_string(*n) + ", more than the limit of " + std::to_string(limits_.max_side));
    }
    return static_cast<int>(*n);
  }

  const XmlElement& canvas(const XmlElement& root, OraStack& out) const {
    if (root.name != "image") xml_error(root.line, "root element is <" + root.name + ">, expected <image>");
    out.width = positive(root, "w");
    out.height = positive(root, "h");
    const auto pixels = static_cast<std::uint64_t>(out.width) * static_cast<std::uint64_t>(out.height);
    if (pixels > limits_.max_canvas_pixels) {
      detail::fail(ErrorCode::TooLarge, where("stack.xml"),
                   "canvas " + std::to_string(out.width) + "x" + std::to_string(out.height) + " has more than the limit of " +
                       std::to_string(limits_.max_canvas_pixels) + " pixels");
    }
    for (const auto& child : root.children)
      if (child.name == "stack") return child;
    xml_error(root.line, "<image> has no <stack>");
  }

  long long offset(const XmlElement& e, const char* key) const {
    const std::string* v = e.attribute(key);
    if (!v) return 0;
    if (auto n = detail::parse_int(*v)) return *n;
    auto d = detail::parse_double(*v);
    if (!d || !std::isfinite(*d) || std::abs(*d) > static_cast<double>(kMaxOffset)) {
      xml_error(e.line, "<" + e.name + "> " + key + "=" + show(*v) + ": expected an integer");
    }
    return std::llround(*d);
  }

  float opacity(const XmlElement& e) const {
    const std::string* v = e.attribute("opacity");
    if (!v) return 1.0f;
    auto d = detail::parse_double(*v);
    if (!d || !std::isfinite(*d)) xml_error(e.line, "<" + e.name + "> opacity=" + show(*v) + ": expected a number");
    return static_cast<float>(std::clamp(*d, 0.0, 1.0));
  }

  static bool hidden(const XmlElement& e) {
    const std::string* v = e.attribute("visibility");
    return v && *v == "hidden";
  }

  // Flattens `stack` (and the groups inside it) into `out`, top first.
  void collect(const XmlElement& stack, GroupState group, std::vector<PendingLayer>& out) const {
    group.x += offset(stack, "x");
    group.y += offset(stack, "y");
    group.opacity *= opacity(stack);
    group.visible = group.visible && !hidden(stack);
    for (const XmlElement& e : stack.children) {
      if (e.name == "stack") {
        collect(e, group, out);
        continue;
      }
      if (e.name != "layer") continue;
      if (out.size() >= static_cast<std::size_t>(std::max(limits_.max_layers, 0))) {
        detail::fail(ErrorCode::TooLarge, where("stack.xml"), "more than the limit of " + std::to_string(limits_.max_layers) + " layers");
      }
      out.push_back(layer(e, group));
    }
  }

  PendingLayer layer(const XmlElement& e, const GroupState& group) const {
    PendingLayer p;
    p.line = e.line;
    OraLayer& l = p.layer;
    if (const std::string* v = e.attribute("name")) l.name = *v;
    const std::string* src = e.attribute("src");
    if (!src || src->empty()) xml_error(e.line, "layer " + show(l.name) + " has no src");
    p.src = *src;
    const long long x = group.x + offset(e, "x"), y = group.y + offset(e, "y");
    if (std::abs(x) > kMaxOffset || std::abs(y) > kMaxOffset) xml_error(e.line, "layer " + show(l.name) + " lies too far off the canvas");
    l.x = static_cast<int>(x);
    l.y = static_cast<int>(y);
    l.opacity = opacity(e) * group.opacity;
    l.visible = group.visible && !hidden(e);
    const std::string* locked = e.attribute("edit-locked");
    l.locked = locked && *locked == "true";
    if (const std::string* op = e.attribute("composite-op"); op && !op->empty()) l.composite_op = *op;
    for (const auto& [key, value] : e.attributes) {
      if (detail::is_extra_attribute_name(key)) l.attributes[key] = value;
    }
    return p;
  }

  // Every layer's entry exists and their uncompressed sizes fit the budget, before reading any.
  void check_entry_sizes(const std::vector<PendingLayer>& pending) const {
    const std::uint64_t room = limits_.max_total_bytes - std::min(used_, limits_.max_total_bytes);
    std::uint64_t sum = 0;
    for (const auto& p : pending) {
      auto e = zip_.find(p.src);
      if (!e) {
        detail::corrupt(where(p.src), "entry missing; layer " + show(p.layer.name) + " (stack.xml line " + std::to_string(p.line) + ") refers to it");
      }
      sum += std::min(e->size, room + 1);
      if (sum > room) {
        detail::fail(ErrorCode::TooLarge, where(p.src),
                     "the layer entries up to this one hold more than " + std::to_string(room) +
                         " bytes uncompressed, over the limit of " + std::to_string(limits_.max_total_bytes) + " bytes in all");
      }
    }
  }

  // A PNG entry's header from its first bytes, before the entry is inflated: the signature must be
  // PNG's, the size within the limits, and the declared uncompressed size at most what a PNG of
  // that size can hold (png_entry_bound), so a zip bomb is refused after inflating 33 bytes.
  ImageHeader png_entry_header(const std::string& entry, const detail::ZipReader::Entry& e, const std::string& what) {
    const std::string at = where(entry);
    const auto head = zip_.read_prefix(entry, e, kPngHeadBytes);
    const ImageFormat format = detail::sniff_format(head);
    if (format != ImageFormat::PNG) {
      detail::corrupt(at, what + ": expected a PNG, found " +
                              (format == ImageFormat::Unknown ? std::string("no PNG signature in the first bytes") : std::string(to_string(format))));
    }
    const ImageHeader h = probe_image_header(head, at);
    const auto pixels = static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height);
    if (h.width > limits_.max_side || h.height > limits_.max_side || pixels > limits_.max_layer_pixels) {
      detail::fail(ErrorCode::TooLarge, at,
                   what + ": " + std::to_string(h.width) + "x" + std::to_string(h.height) + " PNG is over the limits (side " +
                       std::to_string(limits_.max_side) + ", " + std::to_string(limits_.max_layer_pixels) + " pixels)");
    }
    const std::uint64_t bound = png_entry_bound(static_cast<std::uint64_t>(h.width), static_cast<std::uint64_t>(h.height));
    if (e.size > bound) {
      detail::fail(ErrorCode::TooLarge, at,
                   what + ": entry inflates to " + std::to_string(e.size) + " bytes, but a " + std::to_string(h.width) + "x" +
                       std::to_string(h.height) + " PNG needs at most " + std::to_string(bound));
    }
    return h;
  }

  // Reads a PNG entry as RGBA after checking its header against the limits.
  doc::Image8 read_png(const std::string& entry, const std::string& what) {
    auto e = zip_.find(entry);
    if (!e) detail::corrupt(where(entry), "entry missing");
    return decode_rgba(entry, read_entry(entry, *e), what);
  }

  doc::Image8 decode_rgba(const std::string& entry, const std::vector<std::uint8_t>& bytes, const std::string& what) {
    check_png(entry, bytes, what);
    return decode_checked(entry, bytes);
  }

  // Format and size checks, counting the decoded size against the limits (sequential: mutates used_).
  void check_png(const std::string& entry, const std::vector<std::uint8_t>& bytes, const std::string& what) {
    const std::string at = where(entry);
    const ImageHeader h = probe_image_header(bytes, at);
    if (h.format != ImageFormat::PNG) detail::corrupt(at, what + ": expected a PNG, found " + std::string(to_string(h.format)));
    const auto pixels = static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height);
    if (h.width <= limits_.max_side && h.height <= limits_.max_side && pixels <= limits_.max_layer_pixels) {
      take(pixels * 4, entry, "decoded RGBA image");
    }
  }

  ReadOptions decode_options() const {
    ReadOptions options;
    options.max_width = options.max_height = limits_.max_side;
    options.max_pixels = limits_.max_layer_pixels;
    return options;
  }

  // Decodes a checked PNG to RGBA (thread-safe: reads only limits_ and name_).
  doc::Image8 decode_checked(const std::string& entry, const std::vector<std::uint8_t>& bytes) const {
    const std::string at = where(entry);
    doc::Image8 img = decode_image(bytes, at, decode_options());  // TooLarge from the header when over the limits
    if (img.channels == 4) return img;
    doc::Image8 rgba(img.width, img.height, 4);
    for (std::size_t i = 0, n = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height); i < n; ++i) {
      for (int k = 0; k < 3; ++k) rgba.pixels[4 * i + static_cast<std::size_t>(k)] = img.pixels[i * static_cast<std::size_t>(img.channels) + (img.channels == 1 ? 0 : static_cast<std::size_t>(k))];
      rgba.pixels[4 * i + 3] = 255;
    }
    return rgba;
  }

  // mergedimage.png when present and of canvas size; another size is skipped.
  void read_merged(OraStack& out) {
    if (!limits_.load_merged) return;
    auto e = zip_.find("mergedimage.png");
    if (!e) return;
    const ImageHeader h = png_entry_header("mergedimage.png", *e, "merged image");
    if (h.width != out.width || h.height != out.height) return;
    auto bytes = read_entry("mergedimage.png", *e);
    out.merged = decode_rgba("mergedimage.png", bytes, "merged image");
  }

  detail::ZipReader zip_;
  std::string name_;
  ReadLimits limits_;
  std::uint64_t used_ = 0;
};

}  // namespace

OraStack decode_ora(std::span<const std::uint8_t> bytes, std::string_view name, const ReadLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    detail::fail(ErrorCode::TooLarge, name,
                 "file is " + std::to_string(bytes.size()) + " bytes, more than the limit of " + std::to_string(limits.max_file_bytes));
  }
  return OraReader(bytes, name, limits).read();
}

OraStack read_ora(const std::filesystem::path& path, const ReadLimits& limits) {
  const auto bytes = read_file_bytes(path, limits.max_file_bytes);
  return decode_ora(bytes, path.string(), limits);
}

}  // namespace strata::io
