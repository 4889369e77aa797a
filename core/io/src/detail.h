// Internal helpers of strata_io: byte readers, container scanners and text encodings.
// Not installed; every function is reentrant.
#pragma once

#include "strata/doc/utf8.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strata/doc/error.h"
#include "strata/io/image_codec.h"

namespace strata::io::detail {

using Bytes = std::span<const std::uint8_t>;

inline std::uint32_t be16(Bytes b, std::size_t at) { return (std::uint32_t{b[at]} << 8) | b[at + 1]; }
inline std::uint32_t be32(Bytes b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}
inline std::uint32_t le16(Bytes b, std::size_t at) { return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8); }
inline std::uint32_t le24(Bytes b, std::size_t at) { return le16(b, at) | (std::uint32_t{b[at + 2]} << 16); }
inline std::uint32_t le32(Bytes b, std::size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }

[[noreturn]] void fail(doc::ErrorCode code, std::string_view name, const std::string& what);
[[noreturn]] inline void corrupt(std::string_view name, const std::string& what) {
  fail(doc::ErrorCode::CorruptFile, name, what);
}

// libspng keeps ancillary chunks (zTXt/iTXt/iCCP inflated) in a cache; this caps it per PNG.
constexpr std::size_t kPngChunkCacheBytes = 64u << 20;
ImageFormat sniff_format(Bytes bytes);

// JPEG marker walk: size from the first SOF, EXIF (APP1) payloads, COM segments, whether the
// end-of-image marker is present. Throws CorruptFile when no usable SOF precedes the data's end.
struct JpegScan {
  int width = 0;
  int height = 0;
  bool has_eoi = false;
  std::vector<Bytes> exif;  // TIFF structures (after "Exif\0\0")
  std::vector<std::string> comments;
};
JpegScan scan_jpeg(Bytes bytes, std::string_view name);

// RIFF walk of a WebP: canvas size and the EXIF chunk (TIFF structure), if any.
struct WebPScan {
  int width = 0;
  int height = 0;
  std::optional<Bytes> exif;
};
WebPScan scan_webp(Bytes bytes, std::string_view name);

// Calls `visit(type, data)` for every chunk of a PNG up to and including IEND, after checking the
// signature, that IHDR comes first and that no chunk runs past the end. CorruptFile otherwise,
// including a file that ends before IEND. `visit` returns false to stop early.
void walk_png_chunks(Bytes png, std::string_view name,
                     const std::function<bool(std::string_view type, Bytes data, std::uint32_t crc)>& visit);
std::uint32_t png_crc(std::string_view type, Bytes data);

// EXIF (a TIFF structure): UserComment as "parameters", ImageDescription. Never throws; malformed
// structures give what could be read.
std::vector<TextChunk> exif_text(Bytes tiff);

// Numbers in text: shortest round-trip formatting; strict parsing of a whole (trimmed) string.
std::string format_number(double value);
std::optional<int> parse_int(std::string_view text);
std::optional<std::uint64_t> parse_u64(std::string_view text);
std::optional<double> parse_double(std::string_view text);
std::string_view trim(std::string_view text);  // ASCII whitespace, both ends
// "WxH" (also LEFTxTOP): two non-negative integers around an 'x'.
std::string format_pair(int first, int second);
std::optional<std::pair<int, int>> parse_pair(std::string_view text);

// Text encodings.
std::optional<std::string> utf8_to_latin1(std::string_view utf8);  // nullopt if not representable
inline void append_utf8(std::string& out, std::uint32_t code_point) { doc::append_utf8(out, static_cast<char32_t>(code_point)); }

}  // namespace strata::io::detail
