// strata-bench-unet — times full-size SD1.5 UNet passes on the CPU (random weights, default
// UNetConfig) in float32 and bfloat16, and optionally breaks one pass down by op type.
//
//   strata-bench-unet [--size 32] [--batch 2] [--iters 5] [--threads 2] [--dtype fp32|bf16|both]
//                     [--context 77] [--profile] [--embedded] [--manifest PATH] [--flops] [--peak]
// --manifest: the UNet of a checkpoint key/shape manifest (reference/manifests/sd21.json,
// sdxl_base.json), detected as a real file would be (SDXL's added conditioning gets zeros).
// --flops: one pass under the profiler with input shapes; FLOPs of every matrix product (mm,
// addmm, bmm: 2·M·K·N) and convolution (2·Cout·Cin/groups·k²·H·W, counted at the input's H·W:
// the two or three stride-2 downsample convs are over-counted 4×, < 2 % of a pass) → GFLOP and
// GFLOP/s. --peak: the best rates this machine reaches on one large matmul and one large conv, in
// fp32 and bf16 — the ceiling the UNet's rate is compared with.
// --embedded: the embedded model's UNet — strata-train's default architecture, which is the one
// models/strata-shapes ships (64 channels ×1,2,2, transformers at levels 1–2) — instead of SD1.5's.
// Prints per dtype the median wall seconds of `iters` passes after one warm-up pass, and the
// median process CPU seconds. Wall time is noisy on shared machines: compare medians of repeated
// runs, or CPU time with --threads 1.
// Ref: the UNet follows CompVis ldm openaimodel.py (see core/diffusion/src/unet/unet.h).
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cpu_threads.h"
#include "strata/diffusion/model_config.h"
#include "state.h"  // core/training/src: unet_config(TrainOptions)
#include "unet/unet.h"

namespace {

using strata::diffusion::UNetConfig;
using strata::diffusion::UNetModel;

struct Options {
  int64_t size = 32, batch = 2, iters = 5, threads = 2, context = 77;
  std::string dtype = "both";
  bool profile = false, embedded = false, flops = false, peak = false;
  std::string manifest;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "error: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--size") o.size = std::stoll(next());
    else if (a == "--batch") o.batch = std::stoll(next());
    else if (a == "--iters") o.iters = std::stoll(next());
    else if (a == "--threads") o.threads = std::stoll(next());
    else if (a == "--context") o.context = std::stoll(next());
    else if (a == "--dtype") o.dtype = next();
    else if (a == "--profile") o.profile = true;
    else if (a == "--embedded") o.embedded = true;
    else if (a == "--manifest") o.manifest = next();
    else if (a == "--flops") o.flops = true;
    else if (a == "--peak") o.peak = true;
    else {
      std::fprintf(stderr, "usage: %s [--size N] [--batch N] [--iters N] [--threads N] [--context L] "
                   "[--dtype fp32|bf16|both] [--profile] [--embedded] [--manifest PATH] [--flops] [--peak]\n", argv[0]);
      std::exit(2);
    }
  }
  return o;
}

// Random weights with activations of order 1: W ~ N(0, 1/fan_in), norm scales 1, biases small.
void randomize(UNetModel& unet) {
  torch::NoGradGuard no_grad;
  for (auto& p : unet->named_parameters()) {
    auto& t = p.value();
    if (t.dim() > 1) {
      t.normal_(0.0, 1.0 / std::sqrt(static_cast<double>(t.numel() / t.size(0))));
    } else if (p.key().size() >= 6 && p.key().compare(p.key().size() - 6, 6, "weight") == 0) {
      t.fill_(1.0);
    } else {
      t.normal_(0.0, 0.02);
    }
  }
}

// Self time (own time minus children's) and call count per op name, from the legacy profiler.
void print_breakdown(const torch::autograd::profiler::thread_event_lists& lists, double total_s) {
  struct Stat { double self_us = 0; int64_t calls = 0; };
  std::map<std::string, Stat> stats;
  for (const auto& list : lists) {
    struct Open { const torch::autograd::profiler::LegacyEvent* ev; double child_us; };
    std::vector<Open> stack;
    for (const auto& ev : list) {
      if (ev.kindStr() == "push") {
        stack.push_back({&ev, 0.0});
      } else if (ev.kindStr() == "pop" && !stack.empty()) {
        auto open = stack.back();
        stack.pop_back();
        const double us = open.ev->cpuElapsedUs(ev);
        auto& s = stats[open.ev->name()];
        s.self_us += us - open.child_us;
        s.calls += 1;
        if (!stack.empty()) stack.back().child_us += us;
      }
    }
  }
  std::vector<std::pair<std::string, Stat>> rows(stats.begin(), stats.end());
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second.self_us > b.second.self_us; });
  std::printf("  %-40s %10s %7s %6s\n", "op (self time)", "ms", "calls", "%");
  for (const auto& [name, s] : rows) {
    if (s.self_us < 1000.0 * total_s * 0.002) continue;  // < 0.2 %
    std::printf("  %-40s %10.1f %7lld %5.1f%%\n", name.c_str(), s.self_us / 1000.0,
                static_cast<long long>(s.calls), 100.0 * s.self_us / (1e6 * total_s));
  }
}

// The UNet config of a manifest's key/shape list, through the same detection as a real file.
UNetConfig config_from_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "error: %s: cannot read\n", path.c_str());
    std::exit(2);
  }
  const auto j = nlohmann::json::parse(in);
  strata::diffusion::TensorIndex index;
  std::uint64_t offset = 0;
  for (const auto& [key, shape] : j.at("tensors").items()) {
    strata::diffusion::TensorInfo info;
    info.name = info.file_key = key;
    info.dtype = strata::diffusion::DType::F16;
    info.shape = shape.get<std::vector<std::int64_t>>();
    info.begin = offset;
    offset += static_cast<std::uint64_t>(info.numel()) * 2;
    info.end = offset;
    index.add(std::move(info));
  }
  return strata::diffusion::ModelConfig::detect(index).unet;
}

// FLOPs of the matrix products and convolutions of a profiled pass (see the file comment).
double counted_flops(const torch::autograd::profiler::thread_event_lists& lists) {
  double flops = 0;
  for (const auto& list : lists) {
    for (const auto& ev : list) {
      if (ev.kindStr() != "push") continue;
      const std::string name = ev.name();
      const auto& sh = ev.shapes();
      auto dims = [&](std::size_t i) -> const std::vector<int64_t>& { return sh.at(i); };
      if (name == "aten::mm" && sh.size() >= 2 && dims(0).size() == 2 && dims(1).size() == 2) {
        flops += 2.0 * dims(0)[0] * dims(0)[1] * dims(1)[1];
      } else if (name == "aten::addmm" && sh.size() >= 3 && dims(1).size() == 2 && dims(2).size() == 2) {
        flops += 2.0 * dims(1)[0] * dims(1)[1] * dims(2)[1];
      } else if (name == "aten::bmm" && sh.size() >= 2 && dims(0).size() == 3 && dims(1).size() == 3) {
        flops += 2.0 * dims(0)[0] * dims(0)[1] * dims(0)[2] * dims(1)[2];
      } else if (name == "aten::convolution" && sh.size() >= 2 && dims(0).size() == 4 && dims(1).size() == 4) {
        const auto& x = dims(0);
        const auto& w = dims(1);
        flops += 2.0 * x[0] * w[0] * w[1] * w[2] * w[3] * x[2] * x[3];
      }
    }
  }
  return flops;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Timing { double wall_s, cpu_s; };

// One pass: wall-clock seconds and process CPU seconds (all threads; the latter is robust to other
// processes on a shared machine and, with --threads 1, measures the work itself).
Timing run_pass(UNetModel& unet, const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& ctx,
                const torch::Tensor& y) {
  const double cpu0 = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  auto eps = unet->forward(x, t, ctx, y);
  (void)eps.sum().item<float>();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), cpu_seconds() - cpu0};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void bench(const Options& o, torch::ScalarType dtype, const char* label) {
  const UNetConfig config = !o.manifest.empty() ? config_from_manifest(o.manifest)
                            : o.embedded        ? strata::training::unet_config(strata::training::TrainOptions{})
                                                : UNetConfig{};
  UNetModel unet(config, torch::TensorOptions().dtype(dtype));
  randomize(unet);
  c10::InferenceMode guard;
  torch::manual_seed(0);
  auto x = torch::randn({o.batch, 4, o.size, o.size});
  auto t = torch::full({o.batch}, 500.0f);
  auto ctx = torch::randn({o.batch, o.context, config.context_dim});
  auto y = config.adm_in_channels > 0 ? torch::zeros({o.batch, config.adm_in_channels}) : torch::Tensor();

  run_pass(unet, x, t, ctx, y);  // warm-up (oneDNN primitive creation, allocator)
  std::vector<double> wall, cpu;
  for (int64_t i = 0; i < o.iters; ++i) {
    const auto r = run_pass(unet, x, t, ctx, y);
    wall.push_back(r.wall_s);
    cpu.push_back(r.cpu_s);
  }
  std::printf("%s: median %.3f s wall (min %.3f, max %.3f), %.3f s CPU, over %lld passes — latents %lldx%lld batch %lld\n",
              label, median(wall), *std::min_element(wall.begin(), wall.end()), *std::max_element(wall.begin(), wall.end()),
              median(cpu), static_cast<long long>(wall.size()), static_cast<long long>(o.size),
              static_cast<long long>(o.size), static_cast<long long>(o.batch));
  std::fflush(stdout);

  if (o.profile) {
    using namespace torch::autograd::profiler;
    enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU));
    const double s = run_pass(unet, x, t, ctx, y).wall_s;
    auto events = disableProfilerLegacy();
    std::printf("%s profiled pass: %.3f s wall\n", label, s);
    print_breakdown(events, s);
    std::fflush(stdout);
  }
  if (o.flops) {
    using namespace torch::autograd::profiler;
    enableProfilerLegacy(torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU, true));
    run_pass(unet, x, t, ctx, y);
    const auto events = disableProfilerLegacy();
    const double gflop = counted_flops(events) / 1e9;
    std::printf("%s: %.1f GFLOP per pass (matmul + conv, profiler shapes) -> %.1f GFLOP/s at the median %.3f s\n", label,
                gflop, gflop / median(wall), median(wall));
    std::fflush(stdout);
  }
}

// The best rate of one large matmul and one large 3x3 conv (after a warm-up), in GFLOP/s.
void peak(torch::ScalarType dtype, const char* label) {
  c10::InferenceMode guard;
  const int64_t n = 2048;
  auto a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
  auto x = torch::randn({2, 640, 64, 64}).to(dtype).contiguous(at::MemoryFormat::ChannelsLast);
  auto w = torch::randn({640, 640, 3, 3}).to(dtype).contiguous(at::MemoryFormat::ChannelsLast);
  auto best = [](const std::function<void()>& f, double flop) {
    f();
    double best_s = 1e30;
    for (int i = 0; i < 5; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      f();
      best_s = std::min(best_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return flop / best_s / 1e9;
  };
  const double mm = best([&] { (void)torch::mm(a, b).sum().item<float>(); }, 2.0 * n * n * n);
  const double conv = best([&] { (void)torch::conv2d(x, w, {}, 1, 1).sum().item<float>(); },
                           2.0 * 2 * 640 * 640 * 9 * 64 * 64);
  std::printf("%s peak: matmul %lldx%lldx%lld %.1f GFLOP/s, conv 3x3 640->640 at 64x64 batch 2 %.1f GFLOP/s\n", label,
              static_cast<long long>(n), static_cast<long long>(n), static_cast<long long>(n), mm, conv);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  strata::diffusion::configure_cpu_threads(static_cast<int>(o.threads));
  std::printf("threads %d, context %lld tokens\n", at::get_num_threads(), static_cast<long long>(o.context));
  if (o.peak) {
    if (o.dtype == "fp32" || o.dtype == "both") peak(torch::kFloat32, "fp32");
    if (o.dtype == "bf16" || o.dtype == "both") peak(torch::kBFloat16, "bf16");
    if (o.iters == 0) return 0;
  }
  if (o.dtype == "fp32" || o.dtype == "both") bench(o, torch::kFloat32, "fp32");
  if (o.dtype == "bf16" || o.dtype == "both") bench(o, torch::kBFloat16, "bf16");
  return 0;
}
