// torch_tensors.h (private) — TensorIndex entries as torch tensors, without copying.
//
// view() wraps the mapped bytes with torch::from_blob; the tensor keeps the mapping alive and is
// read-only by contract (the pages are mapped PROT_READ: writing to it crashes). Use .to()/.clone()
// or copy_() into a parameter to get owned memory.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

#include "strata/diffusion/tensor_index.h"

namespace strata::diffusion {

torch::ScalarType to_scalar_type(DType dtype);

// A tensor viewing the file's bytes (no copy). Throws doc::Error for dtypes torch cannot hold.
torch::Tensor view(const TensorInfo& info);

// Every tensor of a .safetensors file, copied into owned float32/int64 memory (for small files:
// reference cases, TAESD). Throws doc::Error like TensorIndex::open.
std::map<std::string, torch::Tensor> load_all(const std::filesystem::path& path);

}  // namespace strata::diffusion
