// bf16_sums_in_fp32: a measured answer, not a CPU-flag lookup — what matters is which kernel the
// installed libtorch picks, and that changes with its version and build as much as with the CPU.
#include <torch/torch.h>

#include <mutex>

#include "strata/diffusion/pipeline.h"

namespace strata::diffusion {

namespace {

// One bf16 product of K = 512 terms against the fp32 product of the same (bf16-exact) values.
// A kernel that sums in fp32 is off only by the final rounding to bf16 (mean relative error
// ≈ 0.1 %); one that sums in bf16 loses ~2–3 % (Debian's libtorch 1.13 on AVX2-only CPUs).
bool probe(torch::Device device) {
  c10::InferenceMode guard;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(20261123);
  auto a = torch::rand({64, 512}, gen, torch::kFloat32).sub_(0.5).to(torch::kBFloat16);
  auto b = torch::rand({512, 64}, gen, torch::kFloat32).sub_(0.5).to(torch::kBFloat16);
  auto exact = torch::mm(a.to(torch::kFloat32), b.to(torch::kFloat32));
  auto got = torch::mm(a.to(device), b.to(device)).to(torch::kCPU, torch::kFloat32);
  const double rel = ((got - exact).abs().mean() / exact.abs().mean()).item<double>();
  return rel < 5e-3;
}

}  // namespace

bool bf16_sums_in_fp32(Device d) {
  static std::once_flag cpu_once, cuda_once;
  static bool cpu = false, cuda = false;
  if (d == Device::CUDA) {
    std::call_once(cuda_once, [] { cuda = probe(torch::Device(torch::kCUDA)); });
    return cuda;
  }
  std::call_once(cpu_once, [] { cpu = probe(torch::Device(torch::kCPU)); });
  return cpu;
}

}  // namespace strata::diffusion
