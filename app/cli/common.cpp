#include "common.h"

#include "strata/io/default_model.h"

#include <cmath>
#include <iostream>
#include <sstream>

#include <unistd.h>

namespace strata::cli {

int exit_code_for(const doc::Error& e) {
  switch (e.code()) {
    case doc::ErrorCode::Runtime: return 1;
    case doc::ErrorCode::Cancelled: return 130;
    default: return 2;
  }
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

std::string model_or_default(const std::string& model) {
  if (!model.empty()) return model;
  if (auto found = io::find_default_model()) {
    std::cerr << "strata-cli: no -m given, using the embedded default model " << found->string() << "\n";
    return found->string();
  }
  throw doc::Error(doc::ErrorCode::NotFound, "no model given (-m) and the embedded default model is not installed; looked at " +
                                                 io::default_model_search_description());
}

void warn_on_slow_bf16(const diffusion::PipelineOptions& o) {
  if (o.precision == diffusion::Precision::BF16 && o.device == diffusion::Device::CPU && !diffusion::bf16_sums_in_fp32(o.device)) {
    std::cerr << "warning: --precision bf16: this CPU's bf16 products sum in bf16 (no AVX-512 kernels in this libtorch):"
                 " slower than fp32 and ~10x less exact; fp32 is the better choice here\n";
  }
}

void add_sampling_options(CLI::App* app, generate::GenerationSettings& s) {
  add_choice(app, "--sampler", s.sampler, doc::parse_sampler, doc::runnable_sampler_ids(), doc::to_string(s.sampler), "Sampler");
  add_choice(app, "--schedule", s.schedule, doc::parse_schedule, doc::runnable_schedule_ids(), doc::to_string(s.schedule),
             "Noise schedule");
  add_choice(app, "--convention", s.convention, doc::kConventions,
             "Whose numbers to reproduce (diffusers; a1111 = k-diffusion sigmas)");
}

std::pair<int, int> parse_pixel_pair(const std::string& word, const std::string& flag) {
  auto number = [](std::string_view text, int& out) {
    if (text.empty() || text.size() > 5) return false;
    out = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return out <= 16384;
  };
  const auto x = word.find('x');
  std::pair<int, int> v;
  if (x == std::string::npos || !number(std::string_view(word).substr(0, x), v.first) ||
      !number(std::string_view(word).substr(x + 1), v.second)) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     flag + " '" + word + "' is not two whole numbers in 0..16384 joined by 'x' (e.g. 1024x1024)");
  }
  return v;
}

void add_sdxl_options(CLI::App* app, generate::GenerationSettings& s) {
  auto pair = [app](const std::string& flag, int& first, int& second, const std::string& form, const std::string& help) {
    app->add_option_function<std::string>(
        flag,
        [flag, &first, &second](const std::string& word) {
          try {
            std::tie(first, second) = parse_pixel_pair(word, flag);
          } catch (const doc::Error& e) {
            throw CLI::ValidationError(flag, e.what());
          }
        },
        help)
        ->type_name(form);
  };
  auto score = [app](const std::string& flag, double& value, const std::string& help) {
    app->add_option_function<double>(
           flag,
           [flag, &value](double v) {
             if (!std::isfinite(v)) throw CLI::ValidationError(flag, flag + " must be a finite number");
             value = v;
           },
           help)
        ->default_str((std::ostringstream() << value).str());
  };
  auto& c = s.size_conditioning;
  pair("--original-size", c.original_width, c.original_height, "WxH",
       "SDXL size conditioning: the original image size the model is told about (default: the size generated)");
  pair("--crop-top-left", c.crop_left, c.crop_top, "LEFTxTOP",
       "SDXL size conditioning: the crop's top-left corner in pixels, x then y (diffusers' crops_coords_top_left "
       "is (top, left)); default 0x0");
  pair("--target-size", c.target_width, c.target_height, "WxH",
       "SDXL size conditioning: the target size (default: the size generated)");
  score("--aesthetic-score", s.aesthetic_score, "SDXL refiner: aesthetic score of the prompt");
  score("--negative-aesthetic-score", s.negative_aesthetic_score, "SDXL refiner: aesthetic score of the negative prompt");
}

}  // namespace strata::cli
