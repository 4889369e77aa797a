// Helpers for the strata_io tests: test images, raw files, hand-built PNG chunks.
#pragma once

#include <csignal>

#include <sys/resource.h>

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "strata/doc/error.h"
#include "strata/doc/image.h"

namespace strata::test {

// Limits the size of files this process may write; restored on scope exit. SIGXFSZ is ignored so
// that write() fails with EFBIG instead of killing the process.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};


using ByteVec = std::vector<std::uint8_t>;

// A deterministic image whose pixels differ per position and channel.
inline doc::Image8 pattern_image(int w, int h, int c) {
  doc::Image8 img(w, h, c);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int k = 0; k < c; ++k) img.at(x, y, k) = static_cast<std::uint8_t>((x * 7 + y * 13 + k * 61) & 0xFF);
  return img;
}

inline ByteVec file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return ByteVec(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::filesystem::path& p, const ByteVec& b) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline void put_be32(ByteVec& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

// Appends one PNG chunk with a correct CRC.
inline void add_chunk(ByteVec& out, std::string_view type, const ByteVec& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  ByteVec body(type.begin(), type.end());
  body.insert(body.end(), data.begin(), data.end());
  out.insert(out.end(), body.begin(), body.end());
  put_be32(out, static_cast<std::uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size()))));
}

inline ByteVec png_signature() { return {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}; }

inline ByteVec ihdr(std::uint32_t w, std::uint32_t h, std::uint8_t color_type = 2) {
  ByteVec d;
  put_be32(d, w);
  put_be32(d, h);
  d.insert(d.end(), {8, color_type, 0, 0, 0});
  return d;
}

inline ByteVec zlib_compress(std::string_view text) {
  uLongf len = compressBound(static_cast<uLong>(text.size()));
  ByteVec out(len);
  compress(out.data(), &len, reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()));
  out.resize(len);
  return out;
}

inline ByteVec bytes_of(std::string_view s) { return ByteVec(s.begin(), s.end()); }

// Index of `needle` in `hay`, or npos.
inline std::size_t find_bytes(const ByteVec& hay, std::string_view needle) {
  std::string_view h(reinterpret_cast<const char*>(hay.data()), hay.size());
  return h.find(needle);
}

// Peak virtual memory of this process in KiB (/proc/self/status VmPeak).
inline long vm_peak_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmPeak:", 0) == 0) return std::stol(line.substr(7));
  }
  return -1;
}

}  // namespace strata::test

// Runs `expr`, expecting doc::Error with `error_code` and a message containing `fragment`.
#define REQUIRE_STRATA_ERROR(expr, error_code, fragment)                                  \
  do {                                                                                    \
    bool threw_ = false;                                                                  \
    try {                                                                                 \
      (void)(expr);                                                                       \
    } catch (const ::strata::doc::Error& e_) {                                            \
      threw_ = true;                                                                      \
      INFO("message: " << e_.what());                                                     \
      CHECK(e_.code() == (error_code));                                                   \
      CHECK(std::string(e_.what()).find(fragment) != std::string::npos);                  \
    }                                                                                     \
    CHECK(threw_);                                                                        \
  } while (0)
