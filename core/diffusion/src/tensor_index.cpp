// Safetensors parsing and validation. Format: u64 little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data section. Ref: huggingface/safetensors docs (format description).
#include "strata/diffusion/tensor_index.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "strata/doc/error.h"

namespace strata::diffusion {

using doc::Error;
using doc::ErrorCode;

struct MappedFile {
  std::filesystem::path path;
  const std::byte* base = nullptr;  // start of the mapping
  std::size_t length = 0;           // whole file
  std::uint64_t data_start = 0;     // 8 + header length
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (base != nullptr && length > 0) munmap(const_cast<std::byte*>(base), length);
  }
};

namespace {

constexpr std::uint64_t kMaxHeader = 100ull * 1024 * 1024;  // the reference reader's limit

std::string quoted(const std::filesystem::path& p) { return p.filename().string(); }

[[noreturn]] void corrupt(const std::filesystem::path& p, const std::string& what) {
  throw Error(ErrorCode::CorruptFile, quoted(p) + ": " + what);
}

bool parse_dtype(std::string_view s, DType& out) {
  static const std::pair<std::string_view, DType> table[] = {
      {"F64", DType::F64}, {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16},
      {"I64", DType::I64}, {"I32", DType::I32}, {"I16", DType::I16}, {"I8", DType::I8},
      {"U8", DType::U8},   {"BOOL", DType::Bool}};
  for (const auto& [name, dt] : table) {
    if (name == s) {
      out = dt;
      return true;
    }
  }
  return false;
}

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// Refuses pickle-based checkpoints by extension or by magic bytes, without executing anything.
void refuse_pickle(const std::filesystem::path& path, const std::byte* head, std::size_t n) {
  auto ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  bool zip = n >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0;
  // PROTO opcode (0x80, protocol 2..5) followed by a non-zero opcode; a safetensors length
  // prefix of that form would have a zero third byte.
  bool pickle = n >= 3 && static_cast<unsigned char>(head[0]) == 0x80 &&
                static_cast<unsigned char>(head[1]) >= 2 && static_cast<unsigned char>(head[1]) <= 5 &&
                static_cast<unsigned char>(head[2]) != 0;
  if (ext == ".ckpt" || ext == ".pt" || ext == ".pth" || ext == ".bin" || zip || pickle) {
    throw Error(ErrorCode::UnsupportedModel,
                quoted(path) + ": a PyTorch pickle checkpoint; Strata never unpickles files "
                "(unpickling can run arbitrary code). Convert it to .safetensors first, e.g. with "
                "diffusers' scripts/convert_original_stable_diffusion_to_diffusers.py "
                "--to_safetensors, or with the 'safetensors' package's convert tool.");
  }
}

}  // namespace

std::string_view to_string(DType dtype) {
  switch (dtype) {
    case DType::F64: return "F64";
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::I64: return "I64";
    case DType::I32: return "I32";
    case DType::I16: return "I16";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::Bool: return "BOOL";
  }
  return "?";
}

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F64: case DType::I64: return 8;
    case DType::F32: case DType::I32: return 4;
    case DType::F16: case DType::BF16: case DType::I16: return 2;
    case DType::I8: case DType::U8: case DType::Bool: return 1;
  }
  return 0;
}

bool is_floating(DType dtype) {
  return dtype == DType::F64 || dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

std::int64_t TensorInfo::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

TensorIndex TensorIndex::open(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(ErrorCode::NotFound, path.string() + ": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw Error(ErrorCode::IoError, path.string() + ": is a directory, expected a .safetensors file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorCode::IoError, path.string() + ": not a regular file");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCode::IoError, path.string() + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw Error(ErrorCode::IoError, path.string() + ": cannot stat: " + std::strerror(e));
  }
  auto file = std::make_shared<MappedFile>();
  file->path = path;
  file->length = static_cast<std::size_t>(st.st_size);
  if (file->length == 0) {
    ::close(fd);
    corrupt(path, "empty file (0 bytes), expected a safetensors header");
  }
  void* base = mmap(nullptr, file->length, PROT_READ, MAP_PRIVATE, fd, 0);
  int e = errno;
  ::close(fd);
  if (base == MAP_FAILED) {
    throw Error(ErrorCode::IoError, path.string() + ": cannot map: " + std::strerror(e));
  }
  file->base = static_cast<const std::byte*>(base);
  refuse_pickle(path, file->base, file->length);

  if (file->length < 8) {
    corrupt(path, "truncated: " + std::to_string(file->length) + " bytes, shorter than the 8-byte header length");
  }
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(file->base[i]);
  if (n > kMaxHeader) {
    corrupt(path, "header length " + std::to_string(n) + " exceeds the 100 MiB limit");
  }
  if (n > file->length - 8) {
    corrupt(path, "header length " + std::to_string(n) + " runs past the end of the file (" +
                      std::to_string(file->length) + " bytes)");
  }
  file->data_start = 8 + n;
  const std::uint64_t data_size = file->length - file->data_start;

  nlohmann::json header;
  try {
    header = nlohmann::json::parse(reinterpret_cast<const char*>(file->base + 8),
                                   reinterpret_cast<const char*>(file->base + 8 + n));
  } catch (const nlohmann::json::exception& ex) {
    corrupt(path, std::string("header is not valid JSON: ") + ex.what());
  }
  if (!header.is_object()) corrupt(path, "header is not a JSON object");

  TensorIndex index;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& key = it.key();
    const auto& v = it.value();
    if (key == "__metadata__") {
      if (!v.is_object()) corrupt(path, "__metadata__ is not an object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) corrupt(path, "__metadata__." + m.key() + " is not a string");
        index.metadata_[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets")) {
      corrupt(path, "tensor '" + key + "': entry needs dtype, shape and data_offsets");
    }
    TensorInfo info;
    info.name = key;
    info.file_key = key;
    info.file = file;
    if (!v["dtype"].is_string() || !parse_dtype(v["dtype"].get<std::string>(), info.dtype)) {
      corrupt(path, "tensor '" + key + "': unknown dtype " + v["dtype"].dump());
    }
    const auto& shape = v["shape"];
    if (!shape.is_array()) corrupt(path, "tensor '" + key + "': shape is not an array");
    std::uint64_t elems = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned()) corrupt(path, "tensor '" + key + "': shape entry " + d.dump() + " is not a non-negative integer");
      auto dim = d.get<std::uint64_t>();
      if (__builtin_mul_overflow(elems, dim, &elems) || elems > (std::uint64_t{1} << 60)) {
        corrupt(path, "tensor '" + key + "': shape is impossibly large");
      }
      info.shape.push_back(static_cast<std::int64_t>(dim));
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned()) {
      corrupt(path, "tensor '" + key + "': data_offsets must be two non-negative integers");
    }
    info.begin = off[0].get<std::uint64_t>();
    info.end = off[1].get<std::uint64_t>();
    if (info.begin > info.end) {
      corrupt(path, "tensor '" + key + "': data_offsets [" + std::to_string(info.begin) + "," +
                        std::to_string(info.end) + "] are reversed");
    }
    if (info.end > data_size) {
      corrupt(path, "tensor '" + key + "': data_offsets end " + std::to_string(info.end) +
                        " is beyond the data section (" + std::to_string(data_size) +
                        " bytes; file truncated?)");
    }
    const std::uint64_t expect = elems * dtype_size(info.dtype);
    if (expect != info.byte_size()) {
      corrupt(path, "tensor '" + key + "': shape " + shape_string(info.shape) + " × " +
                        std::string(to_string(info.dtype)) + " needs " +
                        std::to_string(expect) + " bytes, data_offsets give " +
                        std::to_string(info.byte_size()));
    }
    index.add(std::move(info));
  }
  // Overlap check: sort by begin, zero-length tensors cannot overlap anything.
  std::vector<const TensorInfo*> order;
  for (const auto& t : index.tensors_) {
    if (t.byte_size() > 0) order.push_back(&t);
  }
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (order[i]->begin < order[i - 1]->end) {
      corrupt(path, "tensors '" + order[i - 1]->name + "' and '" + order[i]->name + "' overlap in the data section");
    }
  }
  return index;
}

void TensorIndex::add(TensorInfo info) {
  if (by_name_.count(info.name) != 0) {
    throw Error(ErrorCode::CorruptFile, "duplicate tensor '" + info.name + "'" +
                                            (info.file ? " in " + quoted(info.file->path) : std::string()));
  }
  by_name_.emplace(info.name, tensors_.size());
  tensors_.push_back(std::move(info));
}

void TensorIndex::merge(const TensorIndex& other, std::string_view prefix) {
  for (const auto& t : other.tensors_) {
    TensorInfo copy = t;
    copy.name = std::string(prefix) + t.name;
    add(std::move(copy));
  }
  if (metadata_.empty()) metadata_ = other.metadata_;
}

const TensorInfo* TensorIndex::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tensors_[it->second];
}

const std::byte* TensorIndex::data(const TensorInfo& info) {
  return info.file->base + info.file->data_start + info.begin;
}

void TensorIndex::release(const TensorInfo& info) {
  const long page = sysconf(_SC_PAGESIZE);
  auto start = reinterpret_cast<std::uintptr_t>(data(info));
  auto stop = start + info.byte_size();
  // Only whole pages that lie entirely inside this tensor.
  std::uintptr_t a = (start + page - 1) / page * page;
  std::uintptr_t b = stop / page * page;
  if (b > a) madvise(reinterpret_cast<void*>(a), b - a, MADV_DONTNEED);
}

std::vector<std::filesystem::path> TensorIndex::files() const {
  std::vector<std::filesystem::path> out;
  for (const auto& t : tensors_) {
    if (t.file && std::find(out.begin(), out.end(), t.file->path) == out.end()) out.push_back(t.file->path);
  }
  return out;
}

std::uint64_t TensorIndex::total_bytes() const {
  std::uint64_t n = 0;
  for (const auto& t : tensors_) n += t.byte_size();
  return n;
}

}  // namespace strata::diffusion
