#include "project_generate.h"

#include <tuple>
#include <utility>

#include "strata/doc/commands.h"
#include "strata/doc/error.h"
#include "strata/io/generation_inputs.h"

namespace strata::cli {

ProjectRun load_project_run(const std::filesystem::path& path, generate::GenerationSettings& s,
                            const std::function<bool(const std::string&)>& given) {
  if (given("--width") || given("--height") || given("--init-img") || given("--mask") || given("--strength-map")) {
    throw doc::Error(doc::ErrorCode::InvalidArgument,
                     "--project takes size, init image and strengths from the document; drop -W/-H/-i/--mask/--strength-map");
  }
  ProjectRun run{io::load_project(path), path};
  const io::GenerationInfo& saved = run.project.settings;
  if (!given("--prompt")) s.prompt = saved.prompt;
  if (!given("--negative-prompt")) s.negative_prompt = saved.negative_prompt;
  if (!given("--seed") && saved.seed) s.seed = static_cast<std::int64_t>(*saved.seed);
  if (!given("--steps") && saved.steps) s.steps = *saved.steps;
  if (!given("--cfg-scale") && saved.cfg_scale) s.cfg_scale = static_cast<float>(*saved.cfg_scale);
  auto& c = s.size_conditioning;
  if (!given("--original-size") && saved.original_size) std::tie(c.original_width, c.original_height) = std::pair{saved.original_size->width, saved.original_size->height};
  if (!given("--crop-top-left") && saved.crop_top_left) std::tie(c.crop_left, c.crop_top) = std::pair{saved.crop_top_left->left, saved.crop_top_left->top};
  if (!given("--target-size") && saved.target_size) std::tie(c.target_width, c.target_height) = std::pair{saved.target_size->width, saved.target_size->height};
  if (!given("--aesthetic-score") && saved.aesthetic_score) s.aesthetic_score = *saved.aesthetic_score;
  if (!given("--negative-aesthetic-score") && saved.negative_aesthetic_score) s.negative_aesthetic_score = *saved.negative_aesthetic_score;
  return run;
}

void save_project_results(ProjectRun& run, const generate::Request& request,
                          const std::vector<diffusion::GeneratedImage>& images) {
  doc::Document& d = run.project.document;
  doc::History history(d);
  for (const auto& im : images) {
    history.push(doc::AddLayer::raster(io::result_layer_name(request.diffusion.prompt, im.seed), im.image, d.bbox().x, d.bbox().y));
  }
  run.project.settings = generate::record_settings(request.settings, run.project.settings);
  io::save_project(run.path, run.project);
}

}  // namespace strata::cli
