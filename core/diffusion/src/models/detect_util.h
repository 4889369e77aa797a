// detect_util.h (private) — name/shape queries over a TensorIndex, shared by detection, the
// diffusers name mapping and inspection. Torch-free.
//
// Ownership: ShapeLookup borrows the index (which must outlive it). Thread-safety: const use from
// any thread.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "strata/diffusion/tensor_index.h"

namespace strata::diffusion::models {

// "[320,4,3,3]"
std::string shape_string(const std::vector<std::int64_t>& shape);

// How error messages name an index: "model.safetensors", "sd15/ (diffusers folder)".
std::string describe_files(const TensorIndex& index);

class ShapeLookup {
 public:
  explicit ShapeLookup(const TensorIndex& index);

  const std::vector<std::int64_t>* find(const std::string& key) const;
  // The shape of `key`, which must exist with `rank` dimensions; throws doc::Error(MissingTensor /
  // ShapeMismatch) naming the key and the file otherwise.
  const std::vector<std::int64_t>& need(const std::string& key, std::size_t rank) const;
  bool has_prefix(std::string_view prefix) const;
  // 1 + the largest N among keys "<prefix>N.…" (0 when there are none).
  int count_indices(std::string_view prefix) const;
  const std::string& culprit() const { return culprit_; }

 private:
  const TensorIndex& index_;
  std::string culprit_;
  std::set<std::string, std::less<>> names_;
};

}  // namespace strata::diffusion::models
