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

namespace strata::cli {

namespace {

using bench::median;
using bench::peak_rss_mib;



struct BenchArgs {
  diffusion::PipelineOptions pipe;
  diffusion::GenerationRequest req;
  std::string sampler = "euler", precision = "fp32", device = "cpu";
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
  s->add_option("-W,--width", a->req.width)->default_val(512);
  s->add_option("-H,--height", a->req.height)->default_val(512);
  s->add_option("--steps", a->req.steps)->default_val(20);
  s->add_option("--cfg-scale", a->req.cfg_scale)->default_val(7.5);
  s->add_option("--sampler", a->sampler)->default_val("euler");
  s->add_option("--precision", a->precision)->check(CLI::IsMember({"fp32", "bf16", "fp16"}))->default_val("fp32");
  s->add_option("--device", a->device)->check(CLI::IsMember({"cpu", "cuda"}))->default_val("cpu");
  s->add_option("--threads", a->pipe.threads)->default_val(0);
  s->add_option("--runs", a->runs, "Generations to run (after loading once)")->default_val(1);
  s->add_flag("--differential", a->differential,
              "Also time img2img (strength 0.75) against the same with a per-pixel strength map (0.25 | 0.75)");
  return [a] {
    a->req.prompt = "a photograph of an astronaut riding a horse";
    a->req.sampler = diffusion::parse_sampler(a->sampler);
    apply_device_precision(a->device, a->precision, a->pipe);
    diffusion::validate_request(a->req);
    auto t0 = std::chrono::steady_clock::now();
    auto pipeline = diffusion::Pipeline::load(a->pipe);
    double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double rss_after_load = peak_rss_mib();
    std::vector<double> steps, decodes, totals, overheads;
    for (int r = 0; r < a->runs; ++r) {
      auto images = pipeline->generate(a->req);
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
              << "config       " << a->req.width << "x" << a->req.height << ", " << a->req.steps << " steps, "
              << a->sampler << ", cfg " << a->req.cfg_scale << ", " << a->precision << ", " << a->device << "\n"
              << "load         " << load << " s (peak RSS after load " << rss_after_load << " MiB)\n"
              << "step median  " << median(steps) << " s (" << steps.size() << " steps)\n"
              << "sampler      " << 100.0 * median(overheads) << " % of UNet time per step (median)\n"
              << "vae decode   " << median(decodes) << " s\n"
              << "image total  " << median(totals) << " s\n"
              << "peak RSS     " << peak_rss_mib() << " MiB\n";
    if (a->differential) {
      auto img2img = a->req;
      img2img.init_image = doc::Image8(img2img.width, img2img.height, 3, 128);
      img2img.strength = 0.75;
      auto mapped = img2img;
      mapped.strength_map = doc::ImageF(img2img.width, img2img.height, 1, 0.75f);
      for (int y = 0; y < img2img.height; ++y) {
        for (int x = 0; x < img2img.width / 2; ++x) mapped.strength_map->at(x, y) = 0.25f;
      }
      const double plain = median_step(*pipeline, img2img, a->runs);
      const double diff = median_step(*pipeline, mapped, a->runs);
      std::cout << "img2img      " << plain << " s/step; with a strength map " << diff << " s/step ("
                << 100.0 * (diff - plain) / plain << " %)\n";
    }
    return 0;
  };
}

}  // namespace strata::cli
