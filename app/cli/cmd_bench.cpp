// strata-cli bench — load time, median s/step, VAE decode time and peak RSS for one configuration.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "../bench_support.h"
#include "common.h"
#include "commands.h"
#include "strata/diffusion/pipeline.h"
#include "strata/generate/request.h"

namespace strata::cli {

namespace {

using bench::median;
using bench::peak_rss_mib;

struct BenchArgs {
  diffusion::PipelineOptions pipe;
  generate::GenerationSettings settings;
  generate::ImageInputs size;
  int runs = 1;
  bool differential = false;
};

// Median s/step of `runs` generations of `req`.
double median_step(diffusion::Pipeline& p, const diffusion::GenerationRequest& req, int runs) {
  std::vector<double> steps;
  for (int r = 0; r < runs; ++r) {
    for (auto& im : p.generate(req)) steps.insert(steps.end(), im.step_seconds.begin(), im.step_seconds.end());
  }
  return median(steps);
}

}  // namespace

RunFn add_bench(CLI::App& root) {
  auto a = std::make_shared<BenchArgs>();
  auto* s = root.add_subcommand("bench", "Measure load time, s/step, VAE decode and peak RSS");
  s->add_option("-m,--model", a->pipe.model, "Model: .safetensors file or diffusers folder")->required();
  s->add_option("--tokenizer", a->pipe.tokenizer, "Tokenizer folder or .txt.gz");
  s->add_option("-W,--width", a->size.width)->default_val(512);
  s->add_option("-H,--height", a->size.height)->default_val(512);
  s->add_option("--steps", a->settings.steps)->default_val(20);
  s->add_option("--cfg-scale", a->settings.cfg_scale)->default_val(7.5);
  add_sampling_options(s, a->settings);
  add_choice(s, "--precision", a->pipe.precision, diffusion::kPrecisions, "Compute precision");
  add_choice(s, "--device", a->pipe.device, diffusion::kDevices, "Device");
  s->add_option("--threads", a->pipe.threads)->default_val(0);
  s->add_option("--runs", a->runs, "Generations to run (after loading once)")->default_val(1);
  s->add_flag("--differential", a->differential,
              "Also time img2img (strength 0.75) against the same with a per-pixel strength map (0.25 | 0.75)");
  return [a] {
    a->settings.prompt = "a photograph of an astronaut riding a horse";
    warn_on_slow_bf16(a->pipe);
    const generate::Request request = generate::build_request(a->size, a->settings);
    const diffusion::GenerationRequest& req = request.diffusion;
    auto t0 = std::chrono::steady_clock::now();
    auto pipeline = diffusion::Pipeline::load(a->pipe);
    double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double rss_after_load = peak_rss_mib();
    std::vector<double> steps, decodes, totals, overheads;
    for (int r = 0; r < a->runs; ++r) {
      auto images = pipeline->generate(req);
      for (auto& im : images) {
        steps.insert(steps.end(), im.step_seconds.begin(), im.step_seconds.end());
        for (std::size_t i = 0; i < im.step_seconds.size() && i < im.model_seconds.size(); ++i) {
          if (im.model_seconds[i] > 0) overheads.push_back((im.step_seconds[i] - im.model_seconds[i]) / im.model_seconds[i]);
        }
        decodes.push_back(im.decode_seconds);
        totals.push_back(im.seconds);
      }
    }
    std::cout << "model        " << pipeline->summary().name << "\n"
              << "config       " << req.width << "x" << req.height << ", " << req.steps << " steps, "
              << diffusion::to_string(req.sampler) << ", cfg " << req.cfg_scale << ", " << diffusion::to_string(a->pipe.precision)
              << ", " << diffusion::to_string(a->pipe.device) << "\n"
              << "load         " << load << " s (peak RSS after load " << rss_after_load << " MiB)\n"
              << "step median  " << median(steps) << " s (" << steps.size() << " steps)\n"
              << "sampler      " << 100.0 * median(overheads) << " % of UNet time per step (median)\n"
              << "vae decode   " << median(decodes) << " s\n"
              << "image total  " << median(totals) << " s\n"
              << "peak RSS     " << peak_rss_mib() << " MiB\n";
    if (a->differential) {
      generate::ImageInputs in = a->size;
      in.init = doc::Image8(in.width, in.height, 3, 128);
      generate::GenerationSettings img2img = a->settings;
      img2img.strength = 0.75;
      const double plain = median_step(*pipeline, generate::build_request(in, img2img).diffusion, a->runs);
      in.strength_map = doc::Image8(in.width, in.height, 1, 191);  // 0.75 …
      for (int y = 0; y < in.height; ++y) {
        for (int x = 0; x < in.width / 2; ++x) in.strength_map->at(x, y) = 64;  // … | 0.25
      }
      const double diff = median_step(*pipeline, generate::build_request(in, img2img).diffusion, a->runs);
      std::cout << "img2img      " << plain << " s/step; with a strength map " << diff << " s/step ("
                << 100.0 * (diff - plain) / plain << " %)\n";
    }
    return 0;
  };
}

}  // namespace strata::cli
