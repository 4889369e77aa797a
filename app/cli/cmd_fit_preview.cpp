// strata-cli fit-preview MODEL [--write] — the live preview's latent→RGB projection, fitted by
// least squares on the model's own VAE; --write stores it in the .safetensors file's metadata
// ("strata.preview.latent_rgb"; the weights stay byte-identical), where generation reads it.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "strata/diffusion/pipeline.h"

namespace strata::cli {

RunFn add_fit_preview(CLI::App& root) {
  auto* cmd = root.add_subcommand("fit-preview", "Fit a model's latent→RGB preview colours (and store them with --write)");
  auto model = std::make_shared<std::string>();
  auto write = std::make_shared<bool>(false);
  cmd->add_option("model", *model, "a .safetensors model")->required();
  cmd->add_flag("--write", *write, "store the projection in the file's __metadata__");
  return [model, write] {
    const auto p = diffusion::fit_preview_projection(*model);
    const char* rows[] = {"latent 1", "latent 2", "latent 3", "latent 4", "bias"};
    std::cout << "latent→RGB projection (R, G, B):\n";
    for (int r = 0; r < 5; ++r) {
      char line[128];
      std::snprintf(line, sizeof line, "  %-9s %9.6f %9.6f %9.6f\n", rows[r], p[r * 3], p[r * 3 + 1], p[r * 3 + 2]);
      std::cout << line;
    }
    if (*write) {
      diffusion::store_preview_projection(*model, p);
      std::cout << "stored in " << *model << "\n";
    }
    return 0;
  };
}

}  // namespace strata::cli
