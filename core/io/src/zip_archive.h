// In-memory zip archives through libzip. Internal to strata_io.
//
// ZipReader opens a byte buffer (which must outlive it) read-only with consistency checks and
// reads entries with a size limit, inflating in a stream that stops one byte past the declared size
// (so a directory that understates an entry cannot make it inflate further), or only an entry's
// first bytes (to sniff a signature before committing to the whole entry); ZipWriter collects
// entries and returns the archive's bytes.
// Errors: CorruptFile "<name>: ..." for an unreadable archive or entry, TooLarge for an entry
// over the limit, Runtime for a libzip failure while writing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct zip;

namespace strata::io::detail {

class ZipReader {
 public:
  ZipReader(std::span<const std::uint8_t> bytes, std::string name);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  struct Entry {
    std::uint64_t index = 0;
    std::uint64_t size = 0;  // uncompressed, as the central directory says
  };
  std::optional<Entry> find(std::string_view entry_name) const;
  // Names of all entries, in directory order.
  std::vector<std::string> names() const;

  // Reads an entry whole: TooLarge when its declared size exceeds `max_bytes`, CorruptFile when the
  // data is damaged (bad CRC, truncated, longer or shorter than declared).
  std::vector<std::uint8_t> read(std::string_view entry_name, const Entry& entry, std::uint64_t max_bytes) const;
  // The entry's first min(n, size) bytes (inflating only as much as they need); CorruptFile when
  // the data is damaged or ends early.
  std::vector<std::uint8_t> read_prefix(std::string_view entry_name, const Entry& entry, std::size_t n) const;

 private:
  // Inflates the first `want` bytes; `whole`: also checks that the entry ends there (and its CRC).
  std::vector<std::uint8_t> inflate(std::string_view entry_name, const Entry& entry, std::size_t want, bool whole) const;

  struct zip* archive_ = nullptr;
  std::string name_;
};

class ZipWriter {
 public:
  ZipWriter();
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Entries are written in the order added. `store` = no compression (for PNG data).
  void add(const std::string& entry_name, std::vector<std::uint8_t> data, bool store);
  std::vector<std::uint8_t> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::io::detail
