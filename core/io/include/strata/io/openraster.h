// strata/io/openraster.h — OpenRaster (.ora) project files, as a neutral container.
//
// OraStack is not the document model: the caller maps its document to and from it. The file is
// what GIMP, Krita and MyPaint open (OpenRaster 0.0.5, https://www.openraster.org):
//   mimetype                  first entry, STORED, no extra field: "image/openraster"
//   stack.xml                 <image version w h><stack><layer .../>...</stack></image>, top first
//   data/<n>.png              one RGBA PNG per layer, n = its index in `layers` (0 = top)
//   mergedimage.png           the canvas-size composite (OraStack::merged, or computed)
//   Thumbnails/thumbnail.png  the composite scaled to at most 256 px on its longer side
//   strata/project.json       OraStack::strata_json, when not empty
// Layer attributes written: name, src, x, y, opacity, visibility ("visible"/"hidden"),
// composite-op, edit-locked ("true"/"false"), then every entry of OraLayer::attributes.
// The root element declares xmlns:strata="urn:strata:openraster" for `strata:` attributes.
//
// Reading validates everything and never modifies anything:
//   * the zip opens; a "mimetype" entry says image/openraster (surrounding whitespace allowed; it
//     need not be first when reading, as Krita and GIMP accept that too);
//   * stack.xml is well-formed XML (our own parser: elements, attributes, comments, PIs, CDATA,
//     the five named entities and character references; a DOCTYPE with an internal subset is
//     refused), UTF-8, with <image w h> positive and a <stack> inside;
//   * every layer has a src naming an entry that is a valid PNG; x/y are integers (a decimal is
//     rounded); opacity is a number, clamped to [0, 1];
//   * sizes are within ReadLimits, checked from zip headers and PNG headers before allocating.
// Nested <stack> groups are flattened: each child layer's x/y are offset by the group's x/y, its
// opacity multiplied by the group's, and it is hidden when the group is. That is exact for
// src-over groups of opacity 1 and approximate otherwise (group composite-op and isolation are
// dropped). Elements other than <layer> and <stack> (e.g. <text>) are skipped.
// Attributes kept in OraLayer::attributes on reading, and the only names accepted there when
// writing: XML names other than the above and "xmlns", either unprefixed or `strata:<local>`
// (e.g. "selected", "strata:strength"). Other prefixes (krita:…) are dropped on reading.
// mergedimage.png is read into `merged` when present, of canvas size, and ReadLimits::load_merged;
// a merged image of another size is skipped, a damaged one is CorruptFile. The thumbnail is not read.
//
// Writing computes `merged` when it is empty by compositing the visible layers with src-over in
// straight 8-bit RGBA (other composite-ops are written as given but composited as src-over; pass a
// `merged` from doc::compose or doc::flatten for exactness). A tiled layer (OraLayer::tiled) is
// encoded row by row from its tiles, with no copy of its pixels. A layer with empty pixels is written as a 1×1
// transparent PNG. Names and values are escaped for XML; invalid UTF-8 becomes U+FFFD and control
// characters other than tab, newline and carriage return (not representable in XML 1.0) are
// dropped. Saving is atomic (write_file_atomic): a temporary file in the same folder, fsync,
// rename; on any failure the old file is untouched and no temporary file is left.
//
// Ownership: values in, values out. Thread-safety: reentrant; any thread.
// Errors (doc::Error; messages start with the file name, then the entry, e.g.
// "a.ora: data/2.png: ..."): NotFound / IoError for the file system, CorruptFile for bytes that
// are not a valid OpenRaster file, TooLarge beyond ReadLimits (and, when writing, a canvas or layer
// beyond the default ReadLimits), InvalidArgument for an OraStack that cannot be written (size ≤ 0,
// bad attribute name, NaN opacity, a pixel buffer of the wrong length, merged of the wrong size).
#pragma once

#include <cstdint>
#include <filesystem>
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/doc/image.h"
#include "strata/doc/tiled_image.h"

namespace strata::io {

// A layer's pixels as the region `rect` of a tiled image, shared with a document (copying a
// TiledImage copies tile pointers, not pixels). 4-channel tiles are RGBA; 1-channel tiles are
// coverage, written as `tint` with the coverage as alpha. Written straight from the tiles and read
// straight into them (ReadLimits::layers_as_tiles), so a project never holds a second copy of its
// layers while saving or opening.
struct OraTiles {
  doc::TiledImage tiles{4};
  doc::Rect rect;  // in the tiles' coordinates; the layer PNG is rect.width x rect.height
  std::array<std::uint8_t, 3> tint{0, 0, 0};
};

struct OraLayer {
  std::string name;
  int x = 0, y = 0;  // top-left of `pixels` on the canvas; may be negative
  float opacity = 1;
  bool visible = true;
  bool locked = false;
  std::string composite_op = "svg:src-over";
  doc::Image8 pixels;  // RGBA (1 or 3 channels are accepted when writing and stored as RGBA)
  std::map<std::string, std::string> attributes;  // extra stack.xml attributes, e.g. strata:strength
  // When set, the layer's pixels (instead of `pixels`): written from the tiles; filled by reading
  // with ReadLimits::layers_as_tiles (RGBA tiles, rect = {0, 0, PNG width, PNG height}).
  std::optional<OraTiles> tiled;
};

struct OraStack {
  int width = 0, height = 0;
  std::vector<OraLayer> layers;  // top first, as in stack.xml
  std::string strata_json;       // Strata's own data, entry "strata/project.json" (empty = none)
  // Further files of Strata's own under "strata/" (e.g. "strata/staging/0.png"), stored as given;
  // reading returns every "strata/…" entry other than project.json (sizes count in ReadLimits).
  std::map<std::string, std::vector<std::uint8_t>> strata_files;
  doc::Image8 merged;            // RGBA canvas-size composite; optional when writing
};

struct ReadLimits {
  std::uint64_t max_file_bytes = 4ull << 30;         // the .ora file itself
  int max_layers = 4096;
  int max_side = 65535;                              // any layer or canvas side
  std::uint64_t max_canvas_pixels = 256ull << 20;    // width * height of <image>
  std::uint64_t max_layer_pixels = 256ull << 20;     // per layer PNG
  // The uncompressed sizes of the entries read plus the decoded RGBA pixels, summed over the file.
  std::uint64_t max_total_bytes = 4ull << 30;
  bool load_merged = true;
  // Decode layer PNGs into OraLayer::tiled (64 rows at a time) instead of OraLayer::pixels.
  bool layers_as_tiles = false;
};

// Serialises `stack` into .ora bytes; write_ora writes them atomically to `path`.
std::vector<std::uint8_t> encode_ora(const OraStack& stack);
void write_ora(const std::filesystem::path& path, const OraStack& stack);

// Reads an .ora file (or its bytes; `name` is used in messages).
OraStack read_ora(const std::filesystem::path& path, const ReadLimits& limits = {});
OraStack decode_ora(std::span<const std::uint8_t> bytes, std::string_view name, const ReadLimits& limits = {});

}  // namespace strata::io
