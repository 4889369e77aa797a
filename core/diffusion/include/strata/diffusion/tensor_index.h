// strata/diffusion/tensor_index.h — header-only view of .safetensors files (torch-free).
//
// TensorIndex::open() memory-maps a file, parses and validates its JSON header against the file
// (length sane, JSON valid, known dtypes, offsets in bounds and not overlapping, shape × dtype size =
// byte length) and keeps the mapping alive. Tensor bytes are never copied here: data() points into
// the mapping. An index may hold tensors of several files (a diffusers folder) under renamed keys.
//
// Ownership: the index shares ownership of its mappings; pointers from data() stay valid while any
// copy of the index lives. Thread-safety: const methods may be called from any thread; release()
// only advises the kernel and is safe too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace strata::diffusion {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

std::string_view to_string(DType dtype);  // safetensors spelling: "F32", "BF16", …
std::size_t dtype_size(DType dtype);      // bytes per element
bool is_floating(DType dtype);

struct MappedFile;  // private: an mmap'd file

struct TensorInfo {
  std::string name;             // key in this index (checkpoint key after renaming)
  std::string file_key;         // key as stored in the file
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;      // byte offsets inside the file's data section
  std::uint64_t end = 0;
  std::shared_ptr<const MappedFile> file;

  std::uint64_t byte_size() const { return end - begin; }
  std::int64_t numel() const;
};

class TensorIndex {
 public:
  TensorIndex() = default;

  // Opens and validates one .safetensors file. Throws doc::Error (NotFound, IoError, CorruptFile,
  // UnsupportedModel for pickles) with a message naming the file and the offending field.
  static TensorIndex open(const std::filesystem::path& path);

  // Adds every tensor of `other`, with keys passed through `prefix + key`. Throws
  // doc::Error(CorruptFile) on a duplicate key.
  void merge(const TensorIndex& other, std::string_view prefix = {});
  // Adds one tensor under a new name (used by the diffusers name table).
  void add(TensorInfo info);

  const TensorInfo* find(std::string_view name) const;
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  std::size_t size() const { return tensors_.size(); }
  bool empty() const { return tensors_.empty(); }

  // Pointer to the first byte of the tensor inside the mapping (may be unaligned).
  static const std::byte* data(const TensorInfo& info);
  // Tells the kernel the tensor's pages are no longer needed (drops them from RSS).
  static void release(const TensorInfo& info);

  // "__metadata__" of the first file opened (string → string).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // Paths of every file that contributed tensors.
  std::vector<std::filesystem::path> files() const;
  // Total bytes of tensor data.
  std::uint64_t total_bytes() const;

 private:
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace strata::diffusion
