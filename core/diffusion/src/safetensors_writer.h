// safetensors_writer.h (private) — writes tensors as a .safetensors file (the format TensorIndex
// reads): 8-byte little-endian header length, JSON header (keys in the given order, `__metadata__`
// first, padded with spaces to 8 bytes), then the raw little-endian data back to back.
// The write is atomic: a temporary file in the same folder, fsync, rename; on any failure the
// destination is untouched and the temporary file removed. Thread-safety: none needed (pure).
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::diffusion {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// Tensors may live on any device and be non-contiguous; they are copied to contiguous CPU memory.
// Supported dtypes: float64/32/16, bfloat16, int64/32/16/8, uint8, bool. Throws doc::Error
// (InvalidArgument for an unsupported dtype or a duplicate name, IoError naming the path).
void save_safetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// Merges `updates` into the file's __metadata__ and rewrites only its header (atomically): tensor
// entries, offsets and data bytes stay exactly as they were. Throws doc::Error (IoError,
// CorruptFile for a file that is not safetensors).
void set_safetensors_metadata(const std::filesystem::path& path, const std::map<std::string, std::string>& updates);

}  // namespace strata::diffusion
