// strata-bench-vae — wall time and peak memory of a full-size SD VAE decode or encode on the CPU,
// whole or in tiles (random weights, default VAEConfig: SD 1.x/2.x; SDXL's VAE has the same shape).
//
//   strata-bench-vae [--size 1024] [--op decode|encode] [--tiling off|on|auto] [--tile 64]
//                    [--overlap 16] [--iters 1] [--threads 2] [--dtype fp32|bf16]
// --size: the image side in pixels (square). --tile/--overlap (latents) imply tiling on.
// Prints the median wall seconds of `iters` passes and the process's peak RSS (VmHWM) during them,
// and that peak minus the RSS before the first pass (weights and input already allocated). Run one
// configuration per process: the peak is the process's. Ref: the VAE is core/diffusion/src/networks/vae.h.
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_support.h"
#include "cpu_threads.h"
#include "pipeline/vae_codec.h"

namespace {

using namespace strata::diffusion;

struct Options {
  int64_t size = 1024, iters = 1, threads = 2;
  std::string op = "decode", tiling = "off", dtype = "fp32";
  VaeTileSize tile;
  bool explicit_tile = false;
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--size PX] [--op decode|encode] [--tiling off|on|auto] [--tile LATENTS] "
               "[--overlap LATENTS] [--iters N] [--threads N] [--dtype fp32|bf16]\n", argv0);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) usage(argv[0]);
    std::string v = argv[++i];
    if (a == "--size") o.size = std::stoll(v);
    else if (a == "--op") o.op = v;
    else if (a == "--tiling") o.tiling = v;
    else if (a == "--tile") o.tile.tile = std::stoll(v), o.explicit_tile = true;
    else if (a == "--overlap") o.tile.overlap = std::stoll(v), o.explicit_tile = true;
    else if (a == "--iters") o.iters = std::stoll(v);
    else if (a == "--threads") o.threads = std::stoll(v);
    else if (a == "--dtype") o.dtype = v;
    else usage(argv[0]);
  }
  if ((o.op != "decode" && o.op != "encode") || (o.dtype != "fp32" && o.dtype != "bf16") || o.size % 8 != 0 ||
      (o.tiling != "off" && o.tiling != "on" && o.tiling != "auto")) {
    usage(argv[0]);
  }
  if (o.explicit_tile) o.tiling = "on";
  return o;
}

// Random weights with activations of order 1: W ~ N(0, 1/fan_in), norm scales 1, biases small.
void randomize(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto& p : module.named_parameters()) {
    auto& t = p.value();
    if (t.dim() > 1) t.normal_(0.0, 1.0 / std::sqrt(static_cast<double>(t.numel() / t.size(0))));
    else if (p.key().size() >= 6 && p.key().compare(p.key().size() - 6, 6, "weight") == 0) t.fill_(1.0);
    else t.normal_(0.0, 0.02);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  configure_cpu_threads(static_cast<int>(o.threads));
  c10::InferenceMode guard;
  const auto dtype = o.dtype == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  AutoencoderKL vae(VAEConfig{}, torch::TensorOptions().dtype(dtype));
  randomize(*vae);
  const int64_t f = vae->config().downsample_factor(), h = o.size / f;
  const VaeTiling tiling = o.tiling == "on" ? VaeTiling::On : o.tiling == "auto" ? VaeTiling::Auto : VaeTiling::Off;
  const bool tiled = o.explicit_tile ? h > o.tile.tile : use_tiles(tiling, h, h, o.tile);
  const auto n = plan_tiles(h, o.tile.tile, o.tile.overlap).size();
  torch::manual_seed(0);
  auto input = o.op == "decode" ? torch::randn({1, 4, h, h}) : torch::rand({1, 3, o.size, o.size}) * 2 - 1;
  const torch::Device cpu(torch::kCPU);

  const double before = strata::bench::rss_mib();
  strata::bench::reset_peak_rss();
  std::vector<double> seconds;
  for (int64_t i = 0; i < o.iters; ++i) {
    const auto start = std::chrono::steady_clock::now();
    torch::Tensor out;
    if (o.op == "decode") {
      out = o.explicit_tile ? vae_decode_tiled(vae, input, o.tile, cpu, dtype) : vae_decode(vae, input, tiling, cpu, dtype);
    } else {
      out = o.explicit_tile ? vae_encode_tiled(vae, input, o.tile, cpu, dtype).mean
                            : vae_encode(vae, input, tiling, cpu, dtype).mean;
    }
    (void)out.sum().item<float>();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const double peak = strata::bench::peak_rss_mib();
  std::printf("%s %lldx%lld px %s, tiling %s (%s", o.op.c_str(), static_cast<long long>(o.size),
              static_cast<long long>(o.size), o.dtype.c_str(), o.tiling.c_str(), tiled ? "tiled" : "whole");
  if (tiled) std::printf(", %zux%zu tiles of %lld/%lld latents", n, n, static_cast<long long>(o.tile.tile),
                         static_cast<long long>(o.tile.overlap));
  std::printf("), %lld thread(s): median %.2f s over %lld; peak RSS %.0f MiB (%.0f MiB above the %.0f MiB before)\n",
              static_cast<long long>(o.threads), strata::bench::median(seconds), static_cast<long long>(o.iters), peak,
              peak - before, before);
  return 0;
}
