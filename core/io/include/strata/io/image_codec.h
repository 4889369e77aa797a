// strata/io/image_codec.h — reading and writing raster images (PNG, JPEG, WebP, BMP, TIFF).
//
// Decoding goes through OpenCV; PNG encoding through libspng. Every reader checks the size the
// file's header claims against ReadOptions *before* any pixel buffer is allocated, so a lying or
// hostile header costs nothing. Pixels always come back in RGB(A) order, 8 bits per channel:
// 1 channel for grey, 3 for colour, 4 when the file has alpha.
//
// Ownership: every function returns values; nothing points into caller memory after it returns.
// Thread-safety: all functions are reentrant and may be called from any thread concurrently.
// Errors: doc::Error whose message starts with the file name (or the `name` passed for in-memory
// data): NotFound, IoError, CorruptFile (bytes disagree with their format), TooLarge (over the
// limits), InvalidArgument (an image or text chunk that cannot be written).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strata/doc/error.h"
#include "strata/doc/image.h"
#include "strata/io/png_text.h"

namespace strata::io {

enum class ImageFormat { Unknown, PNG, JPEG, WebP, BMP, TIFF };

std::string_view to_string(ImageFormat format);

struct ReadOptions {
  int max_width = 8192;
  int max_height = 8192;
  std::uint64_t max_pixels = 64ull * 1024 * 1024;     // width * height
  std::uint64_t max_file_bytes = 512ull * 1024 * 1024;  // refuse larger files before reading them
};

// What the header says, read without decoding pixels.
struct ImageHeader {
  ImageFormat format = ImageFormat::Unknown;
  int width = 0;
  int height = 0;
};

// Reads only the header. Throws CorruptFile for an unrecognised or malformed header.
ImageHeader probe_image_header(std::span<const std::uint8_t> bytes, std::string_view name);
ImageHeader read_image_header(const std::filesystem::path& path);

// Decodes a whole image. Throws TooLarge when the header exceeds `options` (before allocating),
// CorruptFile for truncated or damaged data (a JPEG without its end-of-image marker included).
doc::Image8 read_image(const std::filesystem::path& path, const ReadOptions& options = {});
doc::Image8 decode_image(std::span<const std::uint8_t> bytes, std::string_view name,
                         const ReadOptions& options = {});

// Encodes `image` (1, 3 or 4 channels) as an 8-bit PNG carrying `text` (tEXt when key and value
// are printable Latin-1, iTXt otherwise; entries with an empty value are omitted).
// Throws InvalidArgument for an empty image, a channel count other than 1/3/4, or a key that is
// not a valid PNG keyword (1-79 printable Latin-1 characters, no leading/trailing/double spaces).
// Fast: zlib level 1 with the "sub" filter — several times faster for large images, files ~10-30 %
// larger (project layers); Default: libspng's defaults (adaptive filters, level 6).
enum class PngCompression { Default, Fast };
std::vector<std::uint8_t> encode_png(const doc::Image8& image, const std::vector<TextChunk>& text = {},
                                     PngCompression compression = PngCompression::Default);

// encode_png, then write_file_atomic.
void write_png(const std::filesystem::path& path, const doc::Image8& image,
               const std::vector<TextChunk>& text = {});

// Writes `bytes` to `path` atomically: a temporary file in the same folder, fsync, rename over
// `path`, fsync of the folder. On failure the temporary file is removed, an existing `path` is
// left untouched, and an Error (NotFound for a missing folder, IoError otherwise) is thrown.
void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

// Reads a whole file; NotFound / IoError, TooLarge above `max_bytes`.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path, std::uint64_t max_bytes);

}  // namespace strata::io
