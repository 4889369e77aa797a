// Whole-file reads with a size limit, and atomic writes (temporary file, fsync, rename).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "detail.h"

namespace strata::io {

namespace {

std::string os_error(int err) { return std::strerror(err); }

// Closes a descriptor on scope exit unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { int fd = fd_; fd_ = -1; return fd; }

 private:
  int fd_;
};

std::string temp_suffix() {
  static std::atomic<unsigned> counter{0};
  auto now = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
  unsigned long long mix = now ^ (static_cast<unsigned long long>(::getpid()) << 32) ^ (counter.fetch_add(1) * 0x9E3779B97F4A7C15ull);
  char buf[17];
  static const char* hex = "0123456789abcdef";
  for (int i = 15; i >= 0; --i, mix >>= 4) buf[i] = hex[mix & 15];
  buf[16] = '\0';
  return buf;
}

}  // namespace

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path, std::uint64_t max_bytes) {
  const std::string name = path.string();
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) detail::fail(doc::ErrorCode::NotFound, name, "no such file");
    detail::fail(doc::ErrorCode::IoError, name, "cannot open: " + os_error(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) detail::fail(doc::ErrorCode::IoError, name, "cannot stat: " + os_error(errno));
  if (S_ISDIR(st.st_mode)) detail::fail(doc::ErrorCode::IoError, name, "is a folder, expected a file");
  if (!S_ISREG(st.st_mode)) detail::fail(doc::ErrorCode::IoError, name, "is not a regular file");
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    detail::fail(doc::ErrorCode::TooLarge, name, "file is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) detail::fail(doc::ErrorCode::IoError, name, "read failed: " + os_error(errno));
    if (n == 0) break;  // the file shrank while we read it
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

void write_file_atomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  const std::string name = path.string();
  if (!path.has_filename()) detail::fail(doc::ErrorCode::InvalidArgument, name, "expected a file name, found a folder path");
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";

  std::filesystem::path temp;
  int raw_fd = -1;
  for (int attempt = 0; attempt < 100 && raw_fd < 0; ++attempt) {
    temp = dir / ("." + path.filename().string() + ".tmp-" + temp_suffix());
    raw_fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);  // umask applies
    if (raw_fd < 0 && errno != EEXIST) break;
  }
  if (raw_fd < 0) {
    int err = errno;
    if (err == ENOENT) detail::fail(doc::ErrorCode::NotFound, name, "folder " + dir.string() + " does not exist");
    detail::fail(doc::ErrorCode::IoError, name, "cannot create a file in " + dir.string() + ": " + os_error(err));
  }
  Fd fd(raw_fd);
  auto fail_and_clean = [&](const std::string& what, int err) {
    ::close(fd.release());
    ::unlink(temp.c_str());
    detail::fail(doc::ErrorCode::IoError, name, what + ": " + os_error(err));
  };

  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_and_clean("write failed after " + std::to_string(done) + " of " + std::to_string(bytes.size()) + " bytes", errno);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) fail_and_clean("fsync failed", errno);
  if (::close(fd.release()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    detail::fail(doc::ErrorCode::IoError, name, "close failed: " + os_error(err));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    detail::fail(doc::ErrorCode::IoError, name, "cannot replace the file: " + os_error(err));
  }
  // Make the rename itself durable. Some file systems refuse fsync on folders; the data is safe.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) (void)::fsync(dir_fd.get());
}

}  // namespace strata::io
