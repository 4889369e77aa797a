#include "common.h"

#include "strata/io/default_model.h"

#include <iostream>

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

}  // namespace strata::cli
