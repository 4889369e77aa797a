#include "torch_tensors.h"

#include "strata/doc/error.h"

namespace strata::diffusion {

torch::ScalarType to_scalar_type(DType dtype) {
  switch (dtype) {
    case DType::F64: return torch::kFloat64;
    case DType::F32: return torch::kFloat32;
    case DType::F16: return torch::kFloat16;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kInt64;
    case DType::I32: return torch::kInt32;
    case DType::I16: return torch::kInt16;
    case DType::I8: return torch::kInt8;
    case DType::U8: return torch::kUInt8;
    case DType::Bool: return torch::kBool;
  }
  throw doc::Error(doc::ErrorCode::CorruptFile, "unknown dtype");
}

torch::Tensor view(const TensorInfo& info) {
  auto keep = info.file;  // the deleter holds the mapping alive
  void* ptr = const_cast<std::byte*>(TensorIndex::data(info));
  return torch::from_blob(ptr, info.shape, [keep](void*) {},
                          torch::TensorOptions().dtype(to_scalar_type(info.dtype)));
}

std::map<std::string, torch::Tensor> load_all(const std::filesystem::path& path) {
  auto index = TensorIndex::open(path);
  std::map<std::string, torch::Tensor> out;
  for (const auto& t : index.tensors()) {
    auto v = view(t);
    out.emplace(t.name, is_floating(t.dtype) ? v.to(torch::kFloat32).clone() : v.clone());
  }
  return out;
}

}  // namespace strata::diffusion
