#include "safetensors_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "strata/doc/error.h"

namespace strata::diffusion {

namespace {

using doc::Error;
using doc::ErrorCode;

const char* dtype_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat64: return "F64";
    case torch::kFloat32: return "F32";
    case torch::kFloat16: return "F16";
    case torch::kBFloat16: return "BF16";
    case torch::kInt64: return "I64";
    case torch::kInt32: return "I32";
    case torch::kInt16: return "I16";
    case torch::kInt8: return "I8";
    case torch::kUInt8: return "U8";
    case torch::kBool: return "BOOL";
    default: return nullptr;
  }
}

// Writes everything or throws IoError; closes the descriptor in every case.
class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& dest) : path_(dest.string() + ".tmp-XXXXXX") {
    fd_ = mkstemp(path_.data());
    if (fd_ < 0) fail("cannot create a temporary file next to " + dest.string());
    // mkstemp makes the file private (0600); a model is an ordinary file: 0644 like other writers.
    if (fchmod(fd_, 0644) != 0) fail("cannot set the permissions of " + path_);
  }
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(path_.c_str());
  }
  void write(const void* data, std::size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) fail("cannot write " + path_);
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  void commit(const std::filesystem::path& dest) {
    if (fsync(fd_) != 0) fail("cannot flush " + path_);
    close(fd_);
    fd_ = -1;
    if (std::rename(path_.c_str(), dest.c_str()) != 0) fail("cannot rename the temporary file to " + dest.string());
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw Error(ErrorCode::IoError, what + ": " + std::strerror(errno));
  }
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// The 8-byte little-endian length and the JSON header, padded with spaces to a multiple of 8.
void write_header(TempFile& out, const nlohmann::ordered_json& header) {
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>((static_cast<std::uint64_t>(h.size()) >> (8 * i)) & 0xff);
  out.write(len, 8);
  out.write(h.data(), h.size());
}

}  // namespace

void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  // nlohmann::ordered_json keeps the insertion order: __metadata__, then the tensors as given.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<torch::Tensor> data;
  std::set<std::string> seen;
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const char* dt = dtype_name(t.scalar_type());
    if (!dt) throw Error(ErrorCode::InvalidArgument, name + ": dtype " + std::string(c10::toString(t.scalar_type())) + " cannot be stored in safetensors");
    if (name == "__metadata__" || !seen.insert(name).second) {
      throw Error(ErrorCode::InvalidArgument, name + ": duplicate or reserved tensor name for " + path.string());
    }
    auto c = t.detach().to(torch::kCPU).contiguous();
    const auto bytes = static_cast<std::uint64_t>(c.numel()) * static_cast<std::uint64_t>(c.element_size());
    header[name] = {{"dtype", dt}, {"shape", c.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(c));
  }
  TempFile out(path);
  write_header(out, header);
  for (const auto& c : data) out.write(c.data_ptr(), static_cast<std::size_t>(c.numel()) * c.element_size());
  out.commit(path);
}

void set_safetensors_metadata(const std::filesystem::path& path, const std::map<std::string, std::string>& updates) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::IoError, "cannot open " + path.string());
  unsigned char len[8];
  if (!in.read(reinterpret_cast<char*>(len), 8)) throw Error(ErrorCode::CorruptFile, path.string() + ": no safetensors header");
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(len[i]) << (8 * i);
  if (n > (100ull << 20)) throw Error(ErrorCode::CorruptFile, path.string() + ": header length " + std::to_string(n) + " is implausible");
  std::string old(static_cast<std::size_t>(n), '\0');
  if (!in.read(old.data(), static_cast<std::streamsize>(n))) throw Error(ErrorCode::CorruptFile, path.string() + ": header truncated");
  auto header = nlohmann::ordered_json::parse(old, nullptr, false);
  if (!header.is_object()) throw Error(ErrorCode::CorruptFile, path.string() + ": header is not a JSON object");
  // __metadata__ first (as save_safetensors writes it), then the tensors unchanged, offsets and all.
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  auto meta = header.contains("__metadata__") ? header["__metadata__"] : nlohmann::ordered_json::object();
  for (const auto& [k, v] : updates) meta[k] = v;
  out["__metadata__"] = meta;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() != "__metadata__") out[it.key()] = it.value();
  }
  TempFile tmp(path);
  write_header(tmp, out);
  std::vector<char> buf(1 << 20);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    tmp.write(buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  tmp.commit(path);
}

}  // namespace strata::diffusion
