// `strata-cli generate --project FILE.ora`: generate the project's bbox from its layers, masks and
// strengths, add every result as a new top layer "<prompt> (<seed>)" and save the project
// atomically (one save after the whole batch; a cancelled or failed run leaves the file as it was).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "strata/diffusion/pipeline.h"
#include "strata/io/project.h"

namespace strata::cli {

struct ProjectRun {
  io::Project project;
  std::filesystem::path path;
};

// Loads the project and fills `request` from it: size = bbox, init image (infilled with
// `infill`, "telea" | "edge" | "solid" | "noise"), strength map; the prompt, negative prompt,
// seed, steps and cfg come from the project's settings where the command line left them unset
// (`explicit_options` names the options given on the command line, e.g. "--seed").
ProjectRun prepare_project_request(const std::filesystem::path& path, diffusion::GenerationRequest& request,
                                   const std::string& infill, const std::function<bool(const std::string&)>& given);

// Adds the results as layers on top, records the request in the settings and saves.
void save_project_results(ProjectRun& run, const diffusion::GenerationRequest& request,
                          const std::vector<diffusion::GeneratedImage>& images);

}  // namespace strata::cli
