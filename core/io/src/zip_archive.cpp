// libzip over memory buffers: reading with limits and checks, writing into a growing buffer.
#include "zip_archive.h"

#include <zip.h>

#include <algorithm>

#include "detail.h"

namespace strata::io::detail {

namespace {

std::string zip_error_text(zip_error_t* error) {
  std::string text = zip_error_strerror(error);
  zip_error_fini(error);
  return text;
}

[[noreturn]] void zip_runtime(const std::string& what) {
  throw doc::Error(doc::ErrorCode::Runtime, "libzip: " + what);
}

}  // namespace

ZipReader::ZipReader(std::span<const std::uint8_t> bytes, std::string name) : name_(std::move(name)) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) fail(doc::ErrorCode::Runtime, name_, "libzip: " + zip_error_text(&error));
  archive_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive_) {
    zip_source_free(source);
    corrupt(name_, "not a readable zip archive (" + zip_error_text(&error) + ")");
  }
  zip_error_fini(&error);
}

ZipReader::~ZipReader() {
  if (archive_) zip_discard(archive_);
}

std::optional<ZipReader::Entry> ZipReader::find(std::string_view entry_name) const {
  const std::string key(entry_name);
  const zip_int64_t index = zip_name_locate(archive_, key.c_str(), ZIP_FL_ENC_RAW);
  if (index < 0) return std::nullopt;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive_, static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    corrupt(name_ + ": " + key, "unreadable zip directory entry");
  }
  return Entry{static_cast<std::uint64_t>(index), st.size};
}

std::vector<std::string> ZipReader::names() const {
  std::vector<std::string> out;
  const zip_int64_t n = zip_get_num_entries(archive_, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    if (const char* s = zip_get_name(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW)) out.emplace_back(s);
  }
  return out;
}

std::vector<std::uint8_t> ZipReader::read(std::string_view entry_name, const Entry& entry, std::uint64_t max_bytes) const {
  if (entry.size > max_bytes) {
    fail(doc::ErrorCode::TooLarge, name_ + ": " + std::string(entry_name),
         "entry is " + std::to_string(entry.size) + " bytes uncompressed, more than the limit of " + std::to_string(max_bytes));
  }
  return inflate(entry_name, entry, static_cast<std::size_t>(entry.size), true);
}

std::vector<std::uint8_t> ZipReader::read_prefix(std::string_view entry_name, const Entry& entry, std::size_t n) const {
  return inflate(entry_name, entry, static_cast<std::size_t>(std::min<std::uint64_t>(n, entry.size)), false);
}

std::vector<std::uint8_t> ZipReader::inflate(std::string_view entry_name, const Entry& entry, std::size_t want,
                                             bool whole) const {
  const std::string where = name_ + ": " + std::string(entry_name);
  zip_file_t* file = zip_fopen_index(archive_, entry.index, 0);
  if (!file) corrupt(where, std::string("cannot open the entry (") + zip_strerror(archive_) + ")");
  std::vector<std::uint8_t> data(want);
  std::size_t done = 0;
  std::string problem;
  while (done < want) {
    const zip_int64_t n = zip_fread(file, data.data() + done, want - done);
    if (n < 0) problem = std::string("damaged data (") + zip_file_strerror(file) + ")";
    if (n == 0) problem = "data ends after " + std::to_string(done) + " of " + std::to_string(entry.size) + " bytes";
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (whole && problem.empty()) {
    std::uint8_t extra = 0;
    const zip_int64_t n = zip_fread(file, &extra, 1);  // reaching the end also checks the CRC
    if (n < 0) problem = std::string("damaged data (") + zip_file_strerror(file) + ")";
    if (n > 0) problem = "data is longer than the " + std::to_string(entry.size) + " bytes declared";
  }
  zip_fclose(file);
  if (!problem.empty()) corrupt(where, problem);
  return data;
}

struct ZipWriter::Impl {
  zip_source_t* buffer = nullptr;
  zip_t* archive = nullptr;
  std::vector<std::vector<std::uint8_t>> entries;  // kept alive until zip_close reads them
};

ZipWriter::ZipWriter() : impl_(std::make_unique<Impl>()) {
  zip_error_t error;
  zip_error_init(&error);
  impl_->buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!impl_->buffer) zip_runtime(zip_error_text(&error));
  impl_->archive = zip_open_from_source(impl_->buffer, ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!impl_->archive) {
    zip_source_free(impl_->buffer);
    impl_->buffer = nullptr;
    zip_runtime(zip_error_text(&error));
  }
  zip_error_fini(&error);
  zip_source_keep(impl_->buffer);  // survives zip_close, which writes into it
}

ZipWriter::~ZipWriter() {
  if (impl_->archive) zip_discard(impl_->archive);
  if (impl_->buffer) zip_source_free(impl_->buffer);
}

void ZipWriter::add(const std::string& entry_name, std::vector<std::uint8_t> data, bool store) {
  auto& kept = impl_->entries.emplace_back(std::move(data));
  zip_source_t* source = zip_source_buffer(impl_->archive, kept.data(), kept.size(), 0);
  if (!source) zip_runtime(entry_name + ": " + zip_strerror(impl_->archive));
  const zip_int64_t index = zip_file_add(impl_->archive, entry_name.c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    zip_source_free(source);
    zip_runtime(entry_name + ": " + zip_strerror(impl_->archive));
  }
  const auto method = store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
  if (zip_set_file_compression(impl_->archive, static_cast<zip_uint64_t>(index), method, store ? 0 : 6) != 0) {
    zip_runtime(entry_name + ": " + zip_strerror(impl_->archive));
  }
}

std::vector<std::uint8_t> ZipWriter::finish() {
  if (zip_close(impl_->archive) != 0) zip_runtime(std::string("writing the archive: ") + zip_strerror(impl_->archive));
  impl_->archive = nullptr;
  zip_source_t* src = impl_->buffer;
  if (zip_source_open(src) != 0 || zip_source_seek(src, 0, SEEK_END) != 0) zip_runtime("cannot reopen the written archive");
  const zip_int64_t size = zip_source_tell(src);
  std::vector<std::uint8_t> out(size > 0 ? static_cast<std::size_t>(size) : 0);
  if (size < 0 || zip_source_seek(src, 0, SEEK_SET) != 0 ||
      zip_source_read(src, out.data(), out.size()) != static_cast<zip_int64_t>(out.size())) {
    zip_source_close(src);
    zip_runtime("cannot read back the written archive");
  }
  zip_source_close(src);
  return out;
}

}  // namespace strata::io::detail
