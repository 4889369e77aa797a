#include "project_generate.h"

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
