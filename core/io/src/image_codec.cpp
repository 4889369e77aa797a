// Decoding through OpenCV (after our own header and size checks), PNG encoding through libspng.
#include <spng.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "detail.h"

namespace strata::io {

namespace {

using detail::Bytes;

void check_limits(const ImageHeader& h, const ReadOptions& o, std::string_view name) {
  const auto pixels = static_cast<std::uint64_t>(h.width) * static_cast<std::uint64_t>(h.height);
  if (h.width > o.max_width || h.height > o.max_height || pixels > o.max_pixels) {
    detail::fail(doc::ErrorCode::TooLarge, name,
                 std::string(to_string(h.format)) + " header says " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                     " (" + std::to_string(pixels) + " pixels), expected at most " + std::to_string(o.max_width) + "x" +
                     std::to_string(o.max_height) + " and " + std::to_string(o.max_pixels) + " pixels");
  }
}

// Any depth to 8 bits: 16-bit by /257, float assumed in [0, 1].
cv::Mat to_8bit(const cv::Mat& m) {
  if (m.depth() == CV_8U) return m;
  cv::Mat out;
  switch (m.depth()) {
    case CV_16U: m.convertTo(out, CV_8U, 1.0 / 257.0); break;
    case CV_32F:
    case CV_64F: m.convertTo(out, CV_8U, 255.0); break;
    default: m.convertTo(out, CV_8U); break;
  }
  return out;
}

doc::Image8 to_image(const cv::Mat& decoded) {
  cv::Mat m = to_8bit(decoded), rgb;
  switch (m.channels()) {
    case 1: rgb = m; break;
    case 2: {  // grey + alpha
      cv::Mat planes[2], rgba_planes[4];
      cv::split(m, planes);
      rgba_planes[0] = rgba_planes[1] = rgba_planes[2] = planes[0];
      rgba_planes[3] = planes[1];
      cv::merge(rgba_planes, 4, rgb);
      break;
    }
    case 3: cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(m, rgb, cv::COLOR_BGRA2RGBA); break;
    default: throw doc::Error(doc::ErrorCode::Runtime, "decoded image has " + std::to_string(m.channels()) + " channels");
  }
  if (!rgb.isContinuous()) rgb = rgb.clone();
  doc::Image8 image(rgb.cols, rgb.rows, rgb.channels());
  std::memcpy(image.pixels.data(), rgb.data, image.pixels.size());
  return image;
}

struct SpngFree {
  void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};

void check_spng(int rc, const char* what) {
  if (rc != 0) throw doc::Error(doc::ErrorCode::Runtime, std::string("libspng ") + what + ": " + spng_strerror(rc));
}

// PNG keyword rules: 1-79 printable Latin-1 characters, no leading, trailing or double spaces.
std::string png_keyword(const std::string& key) {
  auto latin1 = detail::utf8_to_latin1(key);
  bool ok = latin1 && !latin1->empty() && latin1->size() <= 79 && latin1->front() != ' ' && latin1->back() != ' ' &&
            latin1->find("  ") == std::string::npos;
  for (char c : latin1.value_or("")) {
    auto u = static_cast<unsigned char>(c);
    ok = ok && ((u >= 32 && u <= 126) || u >= 161);
  }
  if (!ok) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "PNG text key '" + key + "': expected 1-79 printable Latin-1 characters without leading, trailing or double spaces");
  }
  return *latin1;
}

// tEXt can hold the value when it is printable Latin-1 (plus line feeds) and does not also read
// as multi-byte UTF-8 (which decode_png_text would take as UTF-8).
std::optional<std::string> as_text_chunk_value(const std::string& value) {
  auto latin1 = detail::utf8_to_latin1(value);
  if (!latin1) return std::nullopt;
  bool ascii = true;
  for (char c : *latin1) {
    auto u = static_cast<unsigned char>(c);
    if (!((u >= 32 && u <= 126) || u >= 161 || u == 10)) return std::nullopt;
    ascii = ascii && u < 0x80;
  }
  if (!ascii && sanitize_utf8(*latin1) == *latin1) return std::nullopt;
  return latin1;
}

// libspng fast path for the PNGs Strata writes itself (8-bit RGB or RGBA, not interlaced):
// decodes straight into the result, one pass, no BGR round trip. nullopt for any other PNG, which
// goes through OpenCV. Damaged data is CorruptFile.
std::optional<doc::Image8> decode_png_fast(std::span<const std::uint8_t> bytes, std::string_view name) {
  std::unique_ptr<spng_ctx, SpngFree> ctx(spng_ctx_new(0));
  if (!ctx || spng_set_chunk_limits(ctx.get(), bytes.size(), detail::kPngChunkCacheBytes) != 0 || spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()) != 0) return std::nullopt;
  spng_ihdr ihdr{};
  if (spng_get_ihdr(ctx.get(), &ihdr) != 0) return std::nullopt;
  const bool rgb = ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR, rgba = ihdr.color_type == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
  if (ihdr.bit_depth != 8 || ihdr.interlace_method != 0 || !(rgb || rgba)) return std::nullopt;
  const int fmt = rgba ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
  std::size_t size = 0;
  if (spng_decoded_image_size(ctx.get(), fmt, &size) != 0) return std::nullopt;
  doc::Image8 out(static_cast<int>(ihdr.width), static_cast<int>(ihdr.height), rgba ? 4 : 3);
  if (size != out.pixels.size()) return std::nullopt;
  if (const int rc = spng_decode_image(ctx.get(), out.pixels.data(), size, fmt, 0); rc != 0) {
    detail::corrupt(name, std::string("PNG data is damaged or truncated: ") + spng_strerror(rc));
  }
  return out;
}

}  // namespace

doc::Image8 decode_image(std::span<const std::uint8_t> bytes, std::string_view name, const ReadOptions& options) {
  ImageHeader header = probe_image_header(bytes, name);
  check_limits(header, options, name);
  if (header.format == ImageFormat::PNG) {
    detail::walk_png_chunks(bytes, name, [](std::string_view, Bytes, std::uint32_t) { return true; });
    if (auto fast = decode_png_fast(bytes, name)) return std::move(*fast);
  } else if (header.format == ImageFormat::JPEG && !detail::scan_jpeg(bytes, name).has_eoi) {
    detail::corrupt(name, "JPEG data ends before its end-of-image marker (truncated file)");
  }
  // JPEG: IMREAD_ANYCOLOR applies the EXIF orientation and keeps grey as grey (JPEG has no alpha).
  // Others: IMREAD_UNCHANGED keeps alpha and depth; converted to 8-bit RGB(A) below.
  const int flags = header.format == ImageFormat::JPEG ? cv::IMREAD_ANYCOLOR : cv::IMREAD_UNCHANGED;
  cv::Mat decoded;
  try {
    cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    decoded = cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    detail::corrupt(name, std::string(to_string(header.format)) + " data cannot be decoded: " + e.what());
  }
  if (decoded.empty()) {
    detail::corrupt(name, std::string(to_string(header.format)) + " data is damaged or truncated (the header says " +
                              std::to_string(header.width) + "x" + std::to_string(header.height) + ")");
  }
  const auto expected = static_cast<std::uint64_t>(header.width) * static_cast<std::uint64_t>(header.height);
  if (static_cast<std::uint64_t>(decoded.total()) != expected) {
    detail::corrupt(name, "decoded " + std::to_string(decoded.cols) + "x" + std::to_string(decoded.rows) +
                              " pixels, but the header says " + std::to_string(header.width) + "x" + std::to_string(header.height));
  }
  try {
    return to_image(decoded);
  } catch (const cv::Exception& e) {
    detail::fail(doc::ErrorCode::Runtime, name, std::string("OpenCV conversion failed: ") + e.what());
  }
}

doc::Image8 read_image(const std::filesystem::path& path, const ReadOptions& options) {
  auto bytes = read_file_bytes(path, options.max_file_bytes);
  return decode_image(bytes, path.string(), options);
}

std::vector<std::uint8_t> encode_png(const doc::Image8& image, const std::vector<TextChunk>& text, PngCompression compression) {
  if (image.width <= 0 || image.height <= 0) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "PNG encode: image is " + std::to_string(image.width) + "x" +
                                                          std::to_string(image.height) + ", expected a non-empty image");
  }
  std::uint8_t color_type = 0;
  switch (image.channels) {
    case 1: color_type = SPNG_COLOR_TYPE_GRAYSCALE; break;
    case 3: color_type = SPNG_COLOR_TYPE_TRUECOLOR; break;
    case 4: color_type = SPNG_COLOR_TYPE_TRUECOLOR_ALPHA; break;
    default:
      throw doc::Error(doc::ErrorCode::InvalidArgument,
                       "PNG encode: image has " + std::to_string(image.channels) + " channels, expected 1, 3 or 4");
  }
  const std::size_t size = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) *
                           static_cast<std::size_t>(image.channels);
  if (image.pixels.size() != size) {
    throw doc::Error(doc::ErrorCode::InvalidArgument, "PNG encode: image holds " + std::to_string(image.pixels.size()) +
                                                          " values, expected " + std::to_string(size));
  }

  // Storage for the spng_text entries: spng keeps pointers until encoding ends.
  struct Entry {
    std::string keyword, value;
    bool itxt;
  };
  std::vector<Entry> entries;
  for (const auto& chunk : text) {
    std::string keyword = png_keyword(chunk.key);
    if (chunk.value.empty()) continue;  // libspng cannot write an empty text; absent reads the same
    auto latin1 = as_text_chunk_value(chunk.value);
    entries.push_back({std::move(keyword), latin1 ? *latin1 : sanitize_utf8(chunk.value), !latin1});
  }
  static char empty[] = "";
  std::vector<spng_text> spng_entries(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    spng_text& t = spng_entries[i];
    std::memcpy(t.keyword, entries[i].keyword.c_str(), entries[i].keyword.size() + 1);
    t.type = entries[i].itxt ? SPNG_ITXT : SPNG_TEXT;
    t.length = entries[i].value.size();
    t.text = entries[i].value.data();
    t.compression_flag = 0;
    t.compression_method = 0;
    t.language_tag = empty;
    t.translated_keyword = empty;
  }

  std::unique_ptr<spng_ctx, SpngFree> ctx(spng_ctx_new(SPNG_CTX_ENCODER));
  if (!ctx) throw doc::Error(doc::ErrorCode::Runtime, "libspng: cannot create an encoder");
  check_spng(spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1), "set option");
  if (compression == PngCompression::Fast) {
    check_spng(spng_set_option(ctx.get(), SPNG_IMG_COMPRESSION_LEVEL, 1), "set compression level");
    check_spng(spng_set_option(ctx.get(), SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_SUB), "set filter");
  }
  spng_ihdr ihdr{};
  ihdr.width = static_cast<std::uint32_t>(image.width);
  ihdr.height = static_cast<std::uint32_t>(image.height);
  ihdr.bit_depth = 8;
  ihdr.color_type = color_type;
  check_spng(spng_set_ihdr(ctx.get(), &ihdr), "set IHDR");
  if (!spng_entries.empty()) {
    check_spng(spng_set_text(ctx.get(), spng_entries.data(), static_cast<std::uint32_t>(spng_entries.size())), "set text");
  }
  check_spng(spng_encode_image(ctx.get(), image.pixels.data(), size, SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE), "encode");
  std::size_t len = 0;
  int err = 0;
  std::unique_ptr<void, decltype(&std::free)> buffer(spng_get_png_buffer(ctx.get(), &len, &err), &std::free);
  check_spng(err, "get buffer");
  if (!buffer) throw doc::Error(doc::ErrorCode::Runtime, "libspng returned no PNG buffer");
  const auto* data = static_cast<const std::uint8_t*>(buffer.get());
  return std::vector<std::uint8_t>(data, data + len);
}

void write_png(const std::filesystem::path& path, const doc::Image8& image, const std::vector<TextChunk>& text) {
  std::vector<std::uint8_t> png;
  try {
    png = encode_png(image, text);
  } catch (const doc::Error& e) {
    throw doc::Error(e.code(), path.string() + ": " + e.what());
  }
  write_file_atomic(path, png);
}

}  // namespace strata::io
