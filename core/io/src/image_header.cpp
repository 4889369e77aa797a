// Image headers read by hand, so that sizes are checked before any decoder allocates.
// Ref: PNG spec (IHDR), ITU T.81 (JPEG markers), WebP container spec (VP8/VP8L/VP8X),
// BMP BITMAPINFOHEADER, TIFF 6.0 / BigTIFF IFDs.
#include <cstring>
#include <string>

#include "detail.h"

namespace strata::io {

std::string_view to_string(ImageFormat format) {
  switch (format) {
    case ImageFormat::PNG: return "PNG";
    case ImageFormat::JPEG: return "JPEG";
    case ImageFormat::WebP: return "WebP";
    case ImageFormat::BMP: return "BMP";
    case ImageFormat::TIFF: return "TIFF";
    case ImageFormat::Unknown: break;
  }
  return "unknown";
}

namespace detail {

void fail(doc::ErrorCode code, std::string_view name, const std::string& what) {
  throw doc::Error(code, std::string(name) + ": " + what);
}

namespace {

bool starts_with(Bytes b, std::string_view magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

std::string dims(std::uint64_t w, std::uint64_t h) { return std::to_string(w) + "x" + std::to_string(h); }

// Narrows a header size to int, refusing zero and values past int range (CorruptFile).
ImageHeader make_header(ImageFormat f, std::uint64_t w, std::uint64_t h, std::string_view name) {
  if (w == 0 || h == 0) corrupt(name, std::string(to_string(f)) + " header says " + dims(w, h) + ", expected a non-empty image");
  if (w > 0x7fffffffu || h > 0x7fffffffu) {
    fail(doc::ErrorCode::TooLarge, name, std::string(to_string(f)) + " header says " + dims(w, h) + ", beyond any supported size");
  }
  return ImageHeader{f, static_cast<int>(w), static_cast<int>(h)};
}

ImageHeader png_header(Bytes b, std::string_view name) {
  if (b.size() < 24 || !starts_with(b, "IHDR", 12)) corrupt(name, "PNG signature without an IHDR chunk");
  return make_header(ImageFormat::PNG, be32(b, 16), be32(b, 20), name);
}

ImageHeader bmp_header(Bytes b, std::string_view name) {
  if (b.size() < 26) corrupt(name, "BMP header truncated: expected at least 26 bytes, found " + std::to_string(b.size()));
  std::uint32_t dib = le32(b, 14);
  if (dib == 12) return make_header(ImageFormat::BMP, le16(b, 18), le16(b, 20), name);
  if (dib < 40) corrupt(name, "BMP info header of " + std::to_string(dib) + " bytes, expected 12 or at least 40");
  auto w = static_cast<std::int32_t>(le32(b, 18));
  auto h = static_cast<std::int32_t>(le32(b, 22));
  if (w <= 0) corrupt(name, "BMP width " + std::to_string(w) + ", expected a positive number");
  std::int64_t ah = h < 0 ? -static_cast<std::int64_t>(h) : h;  // negative height = top-down rows
  return make_header(ImageFormat::BMP, static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(ah), name);
}

ImageHeader tiff_header(Bytes b, std::string_view name) {
  if (b.size() < 8) corrupt(name, "TIFF header truncated: " + std::to_string(b.size()) + " bytes, expected at least 8");
  const bool big_endian = b[0] == 'M';
  auto u16 = [&](std::size_t at) -> std::uint64_t { return big_endian ? be16(b, at) : le16(b, at); };
  auto u32 = [&](std::size_t at) -> std::uint64_t { return big_endian ? be32(b, at) : le32(b, at); };
  auto u64 = [&](std::size_t at) -> std::uint64_t {
    return big_endian ? (u32(at) << 32) | u32(at + 4) : u32(at) | (u32(at + 4) << 32);
  };
  const bool big_tiff = u16(2) == 43;
  const std::size_t entry_size = big_tiff ? 20 : 12;
  std::uint64_t ifd = 0;
  if (big_tiff) {
    if (b.size() < 16) corrupt(name, "BigTIFF header truncated");
    ifd = u64(8);
  } else {
    ifd = u32(4);
  }
  const std::size_t count_size = big_tiff ? 8 : 2;
  if (ifd < 8 || ifd > b.size() || b.size() - ifd < count_size) {
    corrupt(name, "TIFF first IFD at byte " + std::to_string(ifd) + " lies outside the " + std::to_string(b.size()) + "-byte file");
  }
  std::uint64_t count = big_tiff ? u64(ifd) : u16(ifd);
  std::uint64_t width = 0, height = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t at = ifd + count_size + i * entry_size;
    if (at > b.size() || b.size() - at < entry_size) corrupt(name, "TIFF IFD truncated at entry " + std::to_string(i));
    auto tag = u16(at);
    if (tag != 256 && tag != 257) continue;
    auto type = u16(at + 2);
    std::size_t value_at = at + (big_tiff ? 12 : 8);
    std::uint64_t v = 0;
    if (type == 3) v = u16(value_at);        // SHORT
    else if (type == 4) v = u32(value_at);   // LONG
    else if (type == 16 && big_tiff) v = u64(value_at);  // LONG8
    else corrupt(name, "TIFF tag " + std::to_string(tag) + " has type " + std::to_string(type) + ", expected SHORT or LONG");
    (tag == 256 ? width : height) = v;
  }
  if (width == 0 || height == 0) corrupt(name, "TIFF first IFD lacks ImageWidth/ImageLength");
  return make_header(ImageFormat::TIFF, width, height, name);
}

bool is_sof(std::uint8_t m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

}  // namespace

ImageFormat sniff_format(Bytes b) {
  if (starts_with(b, "\x89PNG\r\n\x1a\n")) return ImageFormat::PNG;
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageFormat::JPEG;
  if (starts_with(b, "RIFF") && starts_with(b, "WEBP", 8)) return ImageFormat::WebP;
  if (starts_with(b, "BM")) return ImageFormat::BMP;
  if (starts_with(b, std::string_view("II*\0", 4)) || starts_with(b, std::string_view("MM\0*", 4)) ||
      starts_with(b, std::string_view("II+\0", 4)) || starts_with(b, std::string_view("MM\0+", 4))) {
    return ImageFormat::TIFF;
  }
  return ImageFormat::Unknown;
}

JpegScan scan_jpeg(Bytes b, std::string_view name) {
  JpegScan scan;
  std::size_t pos = 2;  // after SOI
  bool have_sof = false;
  while (pos < b.size()) {
    if (b[pos] != 0xFF) { ++pos; continue; }  // stray bytes before a marker: skip, as libjpeg does
    while (pos < b.size() && b[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= b.size()) break;
    std::uint8_t marker = b[pos++];
    if (marker == 0xD9) { scan.has_eoi = true; break; }
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (b.size() - pos < 2) break;
    std::size_t len = be16(b, pos);
    if (len < 2) corrupt(name, "JPEG segment at byte " + std::to_string(pos) + " has length " + std::to_string(len) + ", expected at least 2");
    if (b.size() - pos < len) break;  // truncated segment
    Bytes data = b.subspan(pos + 2, len - 2);
    if (is_sof(marker) && !have_sof) {
      if (data.size() < 6) corrupt(name, "JPEG frame header of " + std::to_string(data.size()) + " bytes, expected at least 6");
      scan.height = static_cast<int>(be16(data, 1));
      scan.width = static_cast<int>(be16(data, 3));
      have_sof = true;
    } else if (marker == 0xE1 && data.size() > 6 && starts_with(data, std::string_view("Exif\0\0", 6))) {
      scan.exif.push_back(data.subspan(6));
    } else if (marker == 0xFE) {
      scan.comments.emplace_back(reinterpret_cast<const char*>(data.data()), data.size());
    }
    pos += len;
    if (marker == 0xDA) {  // start of scan: skip entropy-coded data up to the next real marker
      while (pos + 1 < b.size() &&
             !(b[pos] == 0xFF && b[pos + 1] != 0x00 && b[pos + 1] != 0xFF && !(b[pos + 1] >= 0xD0 && b[pos + 1] <= 0xD7))) {
        ++pos;
      }
      if (pos + 1 >= b.size()) break;
    }
  }
  if (!have_sof) corrupt(name, "JPEG data ends before its frame header (no SOF marker)");
  if (scan.width == 0 || scan.height == 0) {
    corrupt(name, "JPEG frame header says " + dims(static_cast<std::uint64_t>(scan.width), static_cast<std::uint64_t>(scan.height)) + ", expected a non-empty image");
  }
  return scan;
}

WebPScan scan_webp(Bytes b, std::string_view name) {
  WebPScan scan;
  std::size_t pos = 12;
  bool first = true;
  while (b.size() >= pos + 8) {
    std::string_view fourcc(reinterpret_cast<const char*>(b.data() + pos), 4);
    std::size_t len = le32(b, pos + 4);
    if (b.size() - pos - 8 < len) {
      if (first) corrupt(name, "WebP chunk '" + std::string(fourcc) + "' claims " + std::to_string(len) + " bytes, only " + std::to_string(b.size() - pos - 8) + " remain");
      break;
    }
    Bytes data = b.subspan(pos + 8, len);
    if (first) {
      if (fourcc == "VP8 ") {
        if (data.size() < 10 || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A) corrupt(name, "WebP VP8 frame header is malformed");
        scan.width = static_cast<int>(le16(data, 6) & 0x3FFF);
        scan.height = static_cast<int>(le16(data, 8) & 0x3FFF);
      } else if (fourcc == "VP8L") {
        if (data.size() < 5 || data[0] != 0x2F) corrupt(name, "WebP VP8L header is malformed");
        std::uint32_t bits = le32(data, 1);
        scan.width = static_cast<int>((bits & 0x3FFF) + 1);
        scan.height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
      } else if (fourcc == "VP8X") {
        if (data.size() < 10) corrupt(name, "WebP VP8X chunk is " + std::to_string(data.size()) + " bytes, expected 10");
        scan.width = static_cast<int>(le24(data, 4) + 1);
        scan.height = static_cast<int>(le24(data, 7) + 1);
      } else {
        corrupt(name, "WebP starts with chunk '" + std::string(fourcc) + "', expected VP8, VP8L or VP8X");
      }
      first = false;
    } else if (fourcc == "EXIF") {
      scan.exif = starts_with(data, std::string_view("Exif\0\0", 6)) ? data.subspan(6) : data;
    }
    pos += 8 + len + (len & 1);
  }
  if (first) corrupt(name, "WebP file has no image chunk");
  if (scan.width == 0 || scan.height == 0) corrupt(name, "WebP header says " + dims(static_cast<std::uint64_t>(scan.width), static_cast<std::uint64_t>(scan.height)) + ", expected a non-empty image");
  return scan;
}

}  // namespace detail

ImageHeader probe_image_header(std::span<const std::uint8_t> bytes, std::string_view name) {
  using namespace detail;
  switch (sniff_format(bytes)) {
    case ImageFormat::PNG: return png_header(bytes, name);
    case ImageFormat::JPEG: {
      auto s = scan_jpeg(bytes, name);
      return ImageHeader{ImageFormat::JPEG, s.width, s.height};
    }
    case ImageFormat::WebP: {
      auto s = scan_webp(bytes, name);
      return ImageHeader{ImageFormat::WebP, s.width, s.height};
    }
    case ImageFormat::BMP: return bmp_header(bytes, name);
    case ImageFormat::TIFF: return tiff_header(bytes, name);
    case ImageFormat::Unknown: break;
  }
  if (bytes.empty()) corrupt(name, "file is empty, expected an image");
  corrupt(name, "not a PNG, JPEG, WebP, BMP or TIFF image (unrecognised signature)");
}

ImageHeader read_image_header(const std::filesystem::path& path) {
  ReadOptions defaults;
  auto bytes = read_file_bytes(path, defaults.max_file_bytes);
  return probe_image_header(bytes, path.string());
}

}  // namespace strata::io
