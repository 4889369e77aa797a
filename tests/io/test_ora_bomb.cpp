// Hostile OpenRaster files: a layer entry that inflates to 1.5 GB (1.5 MB on disk) is refused
// after inflating a few bytes, in little memory and time, with the entry named.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "ora_test_util.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;

namespace {

constexpr std::uint64_t kBombBytes = 1'500'000'000;
constexpr std::size_t kChunk = 1u << 20;

// Raw deflate of kBombBytes zeros, as non-final blocks ending on a byte boundary (Z_SYNC_FLUSH), so
// it can follow other blocks; the stream is closed by appending kFinalBlock.
const test::ByteVec& deflated_zeros() {
  static const test::ByteVec out = [] {
    test::ByteVec z;
    z_stream s{};
    REQUIRE(deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_RLE) == Z_OK);
    std::vector<std::uint8_t> zeros(kChunk, 0), buf(kChunk);
    for (std::uint64_t left = kBombBytes; left > 0;) {
      const auto n = static_cast<uInt>(std::min<std::uint64_t>(left, kChunk));
      left -= n;
      s.next_in = zeros.data();
      s.avail_in = n;
      do {
        s.next_out = buf.data();
        s.avail_out = static_cast<uInt>(buf.size());
        REQUIRE(deflate(&s, left == 0 ? Z_SYNC_FLUSH : Z_NO_FLUSH) != Z_STREAM_ERROR);
        z.insert(z.end(), buf.data(), buf.data() + (buf.size() - s.avail_out));
      } while (s.avail_out == 0);
    }
    deflateEnd(&s);
    return z;
  }();
  return out;
}
const test::ByteVec kFinalBlock{0x03, 0x00};  // an empty final block with fixed codes

std::uint32_t crc_of_zeros() {
  static const std::uint32_t crc = [] {
    std::vector<std::uint8_t> zeros(kChunk, 0);
    uLong c = crc32(0L, Z_NULL, 0);
    for (std::uint64_t left = kBombBytes; left > 0;) {
      const auto n = static_cast<uInt>(std::min<std::uint64_t>(left, kChunk));
      c = crc32(c, zeros.data(), n);
      left -= n;
    }
    return static_cast<std::uint32_t>(c);
  }();
  return crc;
}

struct RawEntry {
  std::string name;
  test::ByteVec data;       // as stored
  std::uint16_t method = 0; // 0 store, 8 deflate
  std::uint32_t crc = 0;
  std::uint32_t size = 0;   // uncompressed, as declared
};

RawEntry stored(const std::string& name, const std::string& text) {
  RawEntry e{name, test::bytes_of(text), 0, 0, static_cast<std::uint32_t>(text.size())};
  e.crc = static_cast<std::uint32_t>(crc32(0L, e.data.data(), static_cast<uInt>(e.data.size())));
  return e;
}

// A zip written by hand, so an entry can carry a pre-made deflate stream and any declared size.
test::ByteVec raw_zip(const std::vector<RawEntry>& entries) {
  test::ByteVec out, central;
  auto put = [](test::ByteVec& b, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  for (const auto& e : entries) {
    const auto offset = out.size();
    for (test::ByteVec* b : {&out, &central}) {
      put(*b, b == &out ? 0x04034b50u : 0x02014b50u, 4);
      if (b == &central) put(*b, 20, 2);  // version made by
      put(*b, 20, 2);                     // version needed
      put(*b, 0, 2);                      // flags
      put(*b, e.method, 2);
      put(*b, 0, 2);                      // time
      put(*b, 0x21, 2);                   // date: 1980-01-01
      put(*b, e.crc, 4);
      put(*b, e.data.size(), 4);
      put(*b, e.size, 4);
      put(*b, e.name.size(), 2);
      put(*b, 0, 2);  // extra
      if (b == &central) {
        put(*b, 0, 2);  // comment
        put(*b, 0, 2);  // disk
        put(*b, 0, 2);  // internal attributes
        put(*b, 0, 4);  // external attributes
        put(*b, offset, 4);
      }
      b->insert(b->end(), e.name.begin(), e.name.end());
      if (b == &out) b->insert(b->end(), e.data.begin(), e.data.end());
    }
  }
  const auto cd_offset = out.size();
  out.insert(out.end(), central.begin(), central.end());
  put(out, 0x06054b50u, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, entries.size(), 2);
  put(out, entries.size(), 2);
  put(out, central.size(), 4);
  put(out, cd_offset, 4);
  put(out, 0, 2);
  return out;
}

// A 64×64 layer whose entry inflates to kBombBytes: `head` (stored) then zeros, declaring `declared`.
test::ByteVec bomb_ora(const test::ByteVec& head, std::uint64_t declared) {
  RawEntry layer{"data/0.png", {}, 8, 0, static_cast<std::uint32_t>(declared)};
  if (!head.empty()) {  // a non-final stored block
    layer.data = {0x00, static_cast<std::uint8_t>(head.size()), static_cast<std::uint8_t>(head.size() >> 8),
                  static_cast<std::uint8_t>(~head.size()), static_cast<std::uint8_t>(~head.size() >> 8)};
    layer.data.insert(layer.data.end(), head.begin(), head.end());
  }
  layer.data.insert(layer.data.end(), deflated_zeros().begin(), deflated_zeros().end());
  layer.data.insert(layer.data.end(), kFinalBlock.begin(), kFinalBlock.end());
  const auto head_crc = crc32(0L, head.data(), static_cast<uInt>(head.size()));
  layer.crc = static_cast<std::uint32_t>(crc32_combine(head_crc, crc_of_zeros(), static_cast<z_off_t>(kBombBytes)));
  return raw_zip({stored("mimetype", "image/openraster"),
                  stored("stack.xml", R"(<image w="64" h="64"><stack><layer name="bomb" src="data/0.png"/></stack></image>)"),
                  layer});
}

// Resident-memory high-water mark (VmHWM), after resetting it to the current size when the kernel
// allows (clear_refs 5), so earlier allocations of the test do not hide this one's.
long reset_hwm_kib() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}
long hwm_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Decodes `ora` expecting `code` with `needle` in the message; checks memory (< 100 MB) and time.
void expect_refused(const test::ByteVec& ora, ErrorCode code, const std::string& needle) {
  const long before = reset_hwm_kib();
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE_STRATA_ERROR(decode_ora(ora, "bomb.ora"), code, needle);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const long grew = hwm_kib() - before;
  UNSCOPED_INFO("refused in " << seconds << " s, resident peak grew by " << grew << " KiB");
  CHECK(grew < 100 * 1024);
  CHECK(seconds < 1.0);
  WARN("bomb.ora (" << ora.size() << " bytes, an entry of " << kBombBytes << " bytes uncompressed): refused in " << seconds
                    << " s, resident peak +" << grew << " KiB");
}

}  // namespace

TEST_CASE("read_ora: a 1.5 GB layer entry is refused in little memory", "[io][ora][corrupt][bomb]") {
  // Zeros: no PNG signature in the first bytes.
  const auto zeros = bomb_ora({}, kBombBytes);
  CHECK(zeros.size() < 2'000'000);
  expect_refused(zeros, ErrorCode::CorruptFile, "bomb.ora: data/0.png: layer \"bomb\": expected a PNG, found no PNG signature");

  // A 64×64 PNG header, then zeros: the declared size is more than such a PNG can hold.
  auto head = test::png_signature();
  test::add_chunk(head, "IHDR", test::ihdr(64, 64, 6));
  expect_refused(bomb_ora(head, kBombBytes + head.size()), ErrorCode::TooLarge,
                 "bomb.ora: data/0.png: layer \"bomb\": entry inflates to 1500000033 bytes, but a 64x64 PNG needs at most");

  // The same data under a directory that understates it: inflating stops one byte past the claim.
  expect_refused(bomb_ora(head, 1'000'000), ErrorCode::CorruptFile, "bomb.ora: data/0.png: data is longer than the 1000000 bytes declared");
}
