// `strata-cli generate --project FILE.ora`: generate the project's bbox from its layers, masks and
// strengths, add every result as a new top layer "<prompt> (<seed>)" and save the project
// atomically (one save after the whole batch; a cancelled or failed run leaves the file as it was).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "strata/generate/request.h"
#include "strata/io/project.h"

namespace strata::cli {

struct ProjectRun {
  io::Project project;
  std::filesystem::path path;
};

// Loads the project; the prompt, negative prompt, seed, steps and cfg of `settings` come from the
// project's saved settings where the command line left them unset (`given` names the options
// given on the command line, e.g. "--seed"). Size, init image and strengths come from the
// document: -W/-H/-i/--mask/--strength-map are refused.
ProjectRun load_project_run(const std::filesystem::path& path, generate::GenerationSettings& settings,
                            const std::function<bool(const std::string&)>& given);

// Adds the results as layers on top, records the settings in the project and saves.
void save_project_results(ProjectRun& run, const generate::Request& request,
                          const std::vector<diffusion::GeneratedImage>& images);

}  // namespace strata::cli
