// EXIF text: UserComment (where AUTOMATIC1111 stores `parameters` in JPEG and WebP files) and
// ImageDescription. Ref: CIPA DC-008 (Exif 2.3) 4.6.5 (UserComment character codes), TIFF 6.0 IFDs.
#include <string>

#include "detail.h"
#include "strata/io/png_text.h"

namespace strata::io::detail {

namespace {

class TiffReader {
 public:
  explicit TiffReader(Bytes b) : b_(b), big_endian_(b.size() >= 2 && b[0] == 'M') {}

  bool valid() const {
    return b_.size() >= 8 && ((b_[0] == 'I' && b_[1] == 'I') || (b_[0] == 'M' && b_[1] == 'M')) && u16(2) == 42;
  }
  std::uint32_t u16(std::size_t at) const { return big_endian_ ? be16(b_, at) : le16(b_, at); }
  std::uint32_t u32(std::size_t at) const { return big_endian_ ? be32(b_, at) : le32(b_, at); }

  struct Entry {
    std::uint32_t tag = 0, type = 0, count = 0;
    Bytes value;  // empty when out of bounds
  };

  // Entries of the IFD at `offset`; empty when it lies outside the data.
  std::vector<Entry> ifd(std::uint32_t offset) const {
    std::vector<Entry> out;
    if (offset < 8 || offset > b_.size() || b_.size() - offset < 2) return out;
    std::uint32_t n = u16(offset);
    for (std::uint32_t i = 0; i < n; ++i) {
      std::size_t at = offset + 2 + std::size_t{i} * 12;
      if (at > b_.size() || b_.size() - at < 12) break;
      Entry e;
      e.tag = u16(at);
      e.type = u16(at + 2);
      e.count = u32(at + 4);
      std::uint64_t size = std::uint64_t{e.count} * type_size(e.type);
      if (size <= 4) {
        e.value = b_.subspan(at + 8, static_cast<std::size_t>(size));
      } else {
        std::uint32_t off = u32(at + 8);
        if (off <= b_.size() && b_.size() - off >= size) e.value = b_.subspan(off, static_cast<std::size_t>(size));
      }
      out.push_back(e);
    }
    return out;
  }

 private:
  static std::uint64_t type_size(std::uint32_t type) {
    switch (type) {
      case 3: case 8: return 2;
      case 4: case 9: case 11: return 4;
      case 5: case 10: case 12: return 8;
      default: return 1;
    }
  }
  Bytes b_;
  bool big_endian_;
};

std::string strip_nuls(std::string s) {
  while (!s.empty() && (s.back() == '\0')) s.pop_back();
  return s;
}

std::string utf16_to_utf8(Bytes data, bool big_endian) {
  std::string out;
  std::size_t i = 0;
  if (data.size() >= 2) {  // a byte-order mark wins over the guess
    if (data[0] == 0xFE && data[1] == 0xFF) { big_endian = true; i = 2; }
    else if (data[0] == 0xFF && data[1] == 0xFE) { big_endian = false; i = 2; }
  }
  auto unit = [&](std::size_t at) { return big_endian ? be16(data, at) : le16(data, at); };
  for (; i + 1 < data.size(); i += 2) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < data.size()) {
      std::uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, u);  // lone surrogates become U+FFFD
  }
  return strip_nuls(std::move(out));
}

// UserComment: 8-byte character code, then the text. piexif (used by A1111) writes UTF-16BE after
// "UNICODE\0" whatever the TIFF byte order; other writers use little-endian. Guess from where the
// zero bytes of ASCII characters fall; big-endian on a tie.
std::string decode_user_comment(Bytes v) {
  if (v.size() < 8) return sanitize_utf8(strip_nuls(std::string(v.begin(), v.end())));
  std::string_view code(reinterpret_cast<const char*>(v.data()), 8);
  Bytes text = v.subspan(8);
  if (code == std::string_view("UNICODE\0", 8)) {
    std::size_t even_zero = 0, odd_zero = 0;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
      even_zero += text[i] == 0;
      odd_zero += text[i + 1] == 0;
    }
    bool big_endian = even_zero >= odd_zero;
    return utf16_to_utf8(text, big_endian);
  }
  if (code == std::string_view("ASCII\0\0\0", 8) || code == std::string_view("\0\0\0\0\0\0\0\0", 8)) {
    return sanitize_utf8(strip_nuls(std::string(text.begin(), text.end())));
  }
  if (code == std::string_view("JIS\0\0\0\0\0", 8)) return {};  // Shift-JIS: not decoded
  return sanitize_utf8(strip_nuls(std::string(v.begin(), v.end())));  // no character code
}

}  // namespace

std::vector<TextChunk> exif_text(Bytes tiff) {
  std::vector<TextChunk> out;
  TiffReader r(tiff);
  if (!r.valid()) return out;
  std::uint32_t exif_ifd = 0;
  for (const auto& e : r.ifd(r.u32(4))) {
    if (e.tag == 0x010E && e.type == 2 && !e.value.empty()) {  // ImageDescription, ASCII
      auto text = sanitize_utf8(strip_nuls(std::string(e.value.begin(), e.value.end())));
      if (!text.empty()) out.push_back({"ImageDescription", std::move(text)});
    } else if (e.tag == 0x8769 && e.value.size() == 4) {  // Exif IFD pointer
      exif_ifd = r.u32(static_cast<std::size_t>(e.value.data() - tiff.data()));
    }
  }
  if (exif_ifd == 0) return out;
  for (const auto& e : r.ifd(exif_ifd)) {
    if (e.tag == 0x9286 && !e.value.empty()) {  // UserComment
      auto text = decode_user_comment(e.value);
      if (!text.empty()) out.push_back({"parameters", std::move(text)});
    }
  }
  return out;
}

}  // namespace strata::io::detail
