// PNG chunk walking and text chunk decoding (tEXt, zTXt, iTXt), plus the per-format dispatch of
// read_image_text. Ref: PNG specification, 3rd edition, sections 5.3 (chunk layout) and 11.3.3.
#include <zlib.h>

#include <string>

#include "detail.h"
#include "strata/io/png_text.h"

namespace strata::io {

namespace detail {

std::uint32_t png_crc(std::string_view type, Bytes data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(type.data()), static_cast<uInt>(type.size()));
  // zlib takes uInt lengths: feed large chunks in pieces.
  std::size_t done = 0;
  while (done < data.size()) {
    std::size_t n = std::min<std::size_t>(data.size() - done, 1u << 30);
    crc = crc32(crc, data.data() + done, static_cast<uInt>(n));
    done += n;
  }
  return static_cast<std::uint32_t>(crc);
}

void walk_png_chunks(Bytes b, std::string_view name,
                     const std::function<bool(std::string_view, Bytes, std::uint32_t)>& visit) {
  if (sniff_format(b) != ImageFormat::PNG) corrupt(name, "not a PNG file (bad signature)");
  std::size_t pos = 8;
  bool first = true;
  while (true) {
    if (b.size() - pos < 12) {
      corrupt(name, "PNG data ends at byte " + std::to_string(b.size()) + " before the IEND chunk (truncated file)");
    }
    std::uint32_t len = be32(b, pos);
    std::string_view type(reinterpret_cast<const char*>(b.data() + pos + 4), 4);
    if (len > 0x7fffffffu) corrupt(name, "PNG chunk at byte " + std::to_string(pos) + " claims " + std::to_string(len) + " bytes, more than the 2^31-1 allowed");
    if (b.size() - pos - 12 < len) {
      corrupt(name, "PNG chunk '" + std::string(type) + "' at byte " + std::to_string(pos) + " claims " + std::to_string(len) +
                        " bytes, but only " + std::to_string(b.size() - pos - 12) + " remain (truncated file)");
    }
    if (first && type != "IHDR") corrupt(name, "first PNG chunk is '" + std::string(type) + "', expected IHDR");
    first = false;
    Bytes data = b.subspan(pos + 8, len);
    std::uint32_t crc = be32(b, pos + 8 + len);
    if (!visit(type, data, crc)) return;
    if (type == "IEND") return;
    pos += 12 + static_cast<std::size_t>(len);
  }
}

}  // namespace detail

namespace {

using detail::Bytes;

// Inflates a zlib stream, refusing to produce more than `limit` bytes.
std::string inflate_text(Bytes in, std::size_t limit, std::string_view name, std::string_view key) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) detail::fail(doc::ErrorCode::Runtime, name, "zlib inflateInit failed");
  std::string out;
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  char buffer[16384];
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof(buffer);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      detail::corrupt(name, "compressed text chunk '" + std::string(key) + "' is not a valid zlib stream" +
                                (rc == Z_BUF_ERROR ? " (truncated)" : ""));
    }
    std::size_t produced = sizeof(buffer) - zs.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&zs);
      detail::fail(doc::ErrorCode::TooLarge, name, "text chunk '" + std::string(key) + "' inflates to more than " +
                                                        std::to_string(limit) + " bytes");
    }
    out.append(buffer, produced);
  }
  inflateEnd(&zs);
  return out;
}

// tEXt/zTXt are Latin-1 by the spec, but some writers put UTF-8 there: bytes that form valid
// UTF-8 with at least one multi-byte sequence are taken as UTF-8 (encode_png never writes such
// Latin-1 text as tEXt, so its own output reads back exactly).
std::string text_bytes_to_utf8(std::string_view bytes) {
  bool ascii = true;
  for (char c : bytes) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (!ascii && sanitize_utf8(bytes) == bytes) return std::string(bytes);
  return latin1_to_utf8(bytes);
}

// Splits off a NUL-terminated field starting at `pos`.
std::optional<std::string_view> take_cstr(Bytes data, std::size_t& pos) {
  for (std::size_t i = pos; i < data.size(); ++i) {
    if (data[i] == 0) {
      std::string_view s(reinterpret_cast<const char*>(data.data() + pos), i - pos);
      pos = i + 1;
      return s;
    }
  }
  return std::nullopt;
}

TextChunk decode_text_chunk(std::string_view type, Bytes data, std::size_t& budget, std::string_view name) {
  std::size_t pos = 0;
  auto key = take_cstr(data, pos);
  if (!key || key->empty() || key->size() > 79) {
    detail::corrupt(name, std::string(type) + " chunk has no valid keyword (expected 1-79 characters and a NUL)");
  }
  TextChunk chunk{latin1_to_utf8(*key), {}};
  auto rest = [&] { return std::string_view(reinterpret_cast<const char*>(data.data() + pos), data.size() - pos); };
  if (type == "tEXt") {
    chunk.value = text_bytes_to_utf8(rest());
  } else if (type == "zTXt") {
    if (data.size() - pos < 1 || data[pos] != 0) detail::corrupt(name, "zTXt chunk '" + chunk.key + "' uses an unknown compression method");
    ++pos;
    chunk.value = text_bytes_to_utf8(inflate_text(data.subspan(pos), budget, name, chunk.key));
  } else {  // iTXt
    if (data.size() - pos < 2) detail::corrupt(name, "iTXt chunk '" + chunk.key + "' is truncated");
    const std::uint8_t flag = data[pos], method = data[pos + 1];
    pos += 2;
    if (flag > 1 || (flag == 1 && method != 0)) detail::corrupt(name, "iTXt chunk '" + chunk.key + "' has an unknown compression flag or method");
    if (!take_cstr(data, pos) || !take_cstr(data, pos)) {
      detail::corrupt(name, "iTXt chunk '" + chunk.key + "' lacks its language tag or translated keyword");
    }
    chunk.value = sanitize_utf8(flag == 1 ? inflate_text(data.subspan(pos), budget, name, chunk.key) : std::string(rest()));
  }
  if (chunk.value.size() > budget) {
    detail::fail(doc::ErrorCode::TooLarge, name, "text chunks exceed " + std::to_string(kMaxTextBytes) + " bytes in total");
  }
  budget -= chunk.value.size();
  return chunk;
}

}  // namespace

std::vector<TextChunk> decode_png_text(std::span<const std::uint8_t> png, std::string_view name) {
  std::vector<TextChunk> out;
  std::size_t budget = kMaxTextBytes;
  detail::walk_png_chunks(png, name, [&](std::string_view type, Bytes data, std::uint32_t crc) {
    if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
      if (detail::png_crc(type, data) != crc) detail::corrupt(name, "CRC mismatch in " + std::string(type) + " chunk");
      out.push_back(decode_text_chunk(type, data, budget, name));
    }
    return true;
  });
  return out;
}

std::vector<TextChunk> read_png_text(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path, ReadOptions{}.max_file_bytes);
  return decode_png_text(bytes, path.string());
}

std::vector<TextChunk> decode_image_text(std::span<const std::uint8_t> bytes, std::string_view name) {
  switch (detail::sniff_format(bytes)) {
    case ImageFormat::PNG: return decode_png_text(bytes, name);
    case ImageFormat::JPEG: {
      auto scan = detail::scan_jpeg(bytes, name);
      std::vector<TextChunk> out;
      for (auto exif : scan.exif) {
        auto found = detail::exif_text(exif);
        out.insert(out.end(), found.begin(), found.end());
      }
      for (auto& c : scan.comments) out.push_back({"comment", sanitize_utf8(c)});
      return out;
    }
    case ImageFormat::WebP: {
      auto scan = detail::scan_webp(bytes, name);
      return scan.exif ? detail::exif_text(*scan.exif) : std::vector<TextChunk>{};
    }
    case ImageFormat::BMP:
    case ImageFormat::TIFF: probe_image_header(bytes, name); return {};
    case ImageFormat::Unknown: break;
  }
  probe_image_header(bytes, name);  // throws the right CorruptFile message
  return {};
}

std::vector<TextChunk> read_image_text(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path, ReadOptions{}.max_file_bytes);
  return decode_image_text(bytes, path.string());
}

}  // namespace strata::io
