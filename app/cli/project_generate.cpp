#include "project_generate.h"

#include "generation_io.h"
#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/io/generation_inputs.h"

namespace strata::cli {

ProjectRun prepare_project_request(const std::filesystem::path& path, diffusion::GenerationRequest& r,
                                   const std::string& infill, const std::function<bool(const std::string&)>& given) {
  ProjectRun run{io::load_project(path), path};
  const auto& s = run.project.settings;
  if (!given("--prompt")) r.prompt = s.prompt;
  if (!given("--negative-prompt")) r.negative_prompt = s.negative_prompt;
  if (!given("--seed") && s.seed) r.seed = static_cast<std::int64_t>(*s.seed);
  if (!given("--steps") && s.steps) r.steps = *s.steps;
  if (!given("--cfg-scale") && s.cfg_scale) r.cfg_scale = static_cast<float>(*s.cfg_scale);
  if (given("--width") || given("--height") || given("--init-img") || given("--mask") || given("--strength-map")) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "--project takes size, init image and strengths from the document; drop -W/-H/-i/--mask/--strength-map");
  }
  io::GenerationInputs in = io::generation_inputs(run.project.document, infill_options(infill, r.seed));
  r.width = in.bbox.width;
  r.height = in.bbox.height;
  if (in.has_content) {
    r.init_image = std::move(in.init);
    r.strength_map = std::move(in.strength);
  }
  return run;
}

void save_project_results(ProjectRun& run, const diffusion::GenerationRequest& r,
                          const std::vector<diffusion::GeneratedImage>& images) {
  doc::Document& d = run.project.document;
  doc::History history(d);
  for (const auto& im : images) {
    history.push(doc::AddLayer::raster(io::result_layer_name(r.prompt, im.seed), im.image, d.bbox().x, d.bbox().y));
  }
  auto& s = run.project.settings;
  s.prompt = r.prompt;
  s.negative_prompt = r.negative_prompt;
  s.seed = static_cast<std::uint64_t>(r.seed);
  s.steps = r.steps;
  s.cfg_scale = r.cfg_scale;
  s.sampler = std::string(diffusion::to_string(r.sampler));
  s.schedule = std::string(diffusion::to_string(r.schedule));
  io::save_project(run.path, run.project);
}

}  // namespace strata::cli
