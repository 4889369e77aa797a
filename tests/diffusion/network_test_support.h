// Helpers shared by the network parity tests: copy checkpoint tensors into a module by name, compare
// against reference tensors, and compare a module's names/shapes with a manifest.
#pragma once

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reference.h"
#include "strata/diffusion/pipeline.h"
#include "strata/diffusion/tensor_index.h"
#include "torch_tensors.h"

namespace strata::test {

// Copies every tensor of `index` whose key starts with `prefix` into the module parameter named by
// the rest of the key (converted to the parameter's dtype). REQUIREs that every parameter was found
// and every tensor under the prefix was used, except the keys listed in `ignore` (full keys).
inline void load_parameters(torch::nn::Module& module, const diffusion::TensorIndex& index,
                            const std::string& prefix, const std::set<std::string>& ignore = {}) {
  torch::NoGradGuard no_grad;
  auto params = module.named_parameters(true);
  std::vector<std::string> missing, unused, mismatched;
  std::set<std::string> used;
  for (auto& item : params) {
    const auto* info = index.find(prefix + item.key());
    if (!info) {
      missing.push_back(item.key());
      continue;
    }
    auto src = diffusion::view(*info);
    if (src.sizes() != item.value().sizes()) {
      mismatched.push_back(item.key());
      continue;
    }
    item.value().copy_(src.to(item.value().dtype()));
    used.insert(info->name);
  }
  for (const auto& t : index.tensors()) {
    if (t.name.rfind(prefix, 0) == 0 && !used.count(t.name) && !ignore.count(t.name)) unused.push_back(t.name);
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + " ";
    return s;
  };
  INFO("missing: " << join(missing));
  INFO("unused: " << join(unused));
  INFO("shape mismatch: " << join(mismatched));
  REQUIRE(missing.empty());
  REQUIRE(unused.empty());
  REQUIRE(mismatched.empty());
  REQUIRE(!used.empty());
}

inline double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

// The reference README's component tolerance: atol 1e-4, or 1e-5 × max|ref| when that is larger.
inline double component_tolerance(const torch::Tensor& ref) { return std::max(1e-4, 1e-5 * max_abs(ref)); }

// CHECKs shape equality and max |actual − ref| ≤ tol; reports the difference.
inline void check_close(const std::string& what, const torch::Tensor& actual, const torch::Tensor& ref, double tol) {
  INFO(what << ": actual " << actual.sizes() << ", reference " << ref.sizes());
  REQUIRE(actual.sizes() == ref.sizes());
  auto delta = (actual.to(torch::kFloat32) - ref.to(torch::kFloat32)).abs();
  double diff = delta.max().item<double>();
  INFO(what << ": max abs diff " << diff << ", mean " << delta.mean().item<double>() << " (tolerance " << tol
            << ", max|ref| " << max_abs(ref) << ")");
  CHECK(std::isfinite(diff));
  CHECK(diff <= tol);
}

// Factor on bf16 tolerances: 1 where the CPU's bf16 products sum in fp32 (oneDNN on AVX-512), 6
// where they sum in bf16 (Debian's libtorch on AVX2-only CPUs: errors measured 3–5× larger there).
// Either way a broken bf16 path (wrong layout, wrong dtype, garbage) is far outside the bound.
inline double bf16_slack() { return diffusion::bf16_sums_in_fp32(diffusion::Device::CPU) ? 1.0 : 6.0; }

inline void check_close(const std::string& what, const torch::Tensor& actual, const torch::Tensor& ref) {
  check_close(what, actual, ref, component_tolerance(ref));
}

// Compares the module's parameters (prefixed) with the manifest's `tensors` entries whose key
// starts with `prefix`, minus `ignore`. Names and shapes must match exactly.
inline void check_against_manifest(torch::nn::Module& module, const nlohmann::json& manifest,
                                   const std::string& prefix, const std::set<std::string>& ignore) {
  std::map<std::string, std::vector<int64_t>> expected, actual;
  for (const auto& [key, shape] : manifest.at("tensors").items()) {
    if (key.rfind(prefix, 0) == 0 && !ignore.count(key)) expected[key] = shape.get<std::vector<int64_t>>();
  }
  for (const auto& item : module.named_parameters(true)) {
    actual[prefix + item.key()] = item.value().sizes().vec();
  }
  for (const auto& item : module.named_buffers(true)) actual[prefix + item.key()] = item.value().sizes().vec();
  std::vector<std::string> problems;
  for (const auto& [key, shape] : expected) {
    auto it = actual.find(key);
    if (it == actual.end()) problems.push_back("missing " + key);
    else if (it->second != shape) problems.push_back("shape " + key);
  }
  for (const auto& [key, shape] : actual) {
    if (!expected.count(key)) problems.push_back("unexpected " + key);
  }
  std::string text;
  for (const auto& p : problems) text += p + "\n";
  INFO(text);
  CHECK(problems.empty());
  CHECK(expected.size() == actual.size());
  CHECK(!expected.empty());
}

}  // namespace strata::test
