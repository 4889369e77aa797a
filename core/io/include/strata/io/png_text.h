// strata/io/png_text.h — PNG text chunks (tEXt, zTXt, iTXt) and image text metadata.
//
// Keys and values are UTF-8 std::strings: tEXt/zTXt Latin-1 bytes are converted to UTF-8 on
// reading, and invalid UTF-8 in iTXt is replaced by U+FFFD, so every value is safe to print or
// put in JSON. Compressed chunks are inflated with a limit (kMaxTextBytes in total per file).
//
// Ownership: values only. Thread-safety: all functions are reentrant.
// Errors: doc::Error naming the file: NotFound/IoError (OS), CorruptFile (not a PNG, a chunk that
// runs past the end, a bad CRC on a text chunk, a broken zlib stream, no IEND), TooLarge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/doc/error.h"

namespace strata::io {

struct TextChunk {
  std::string key;    // UTF-8; PNG keywords are Latin-1, 1-79 characters
  std::string value;  // UTF-8

  bool operator==(const TextChunk&) const = default;
};

inline constexpr std::size_t kMaxTextBytes = 64u * 1024 * 1024;

// All text chunks of a PNG, in file order (before and after IDAT).
std::vector<TextChunk> read_png_text(const std::filesystem::path& path);
std::vector<TextChunk> decode_png_text(std::span<const std::uint8_t> png, std::string_view name);

// Text metadata of any supported image: PNG text chunks; for JPEG and WebP the EXIF UserComment
// (reported under the key "parameters", as AUTOMATIC1111 writes it there), EXIF ImageDescription
// ("ImageDescription") and JPEG COM segments ("comment"). BMP and TIFF give an empty list.
std::vector<TextChunk> read_image_text(const std::filesystem::path& path);
std::vector<TextChunk> decode_image_text(std::span<const std::uint8_t> bytes, std::string_view name);

// Helpers shared with the writers (exposed for tests).
std::string latin1_to_utf8(std::string_view latin1);
// Replaces every byte that is not part of a well-formed UTF-8 character by one U+FFFD ("\xE2\x82"
// at the end gives two; doc::decode_utf8 would give one per maximal subpart, see
// strata/doc/utf8.h); well-formed characters are copied unchanged.
std::string sanitize_utf8(std::string_view text);

}  // namespace strata::io
