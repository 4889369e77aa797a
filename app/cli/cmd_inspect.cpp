// strata-cli inspect MODEL — filled in by the models part.
#include "commands.h"

namespace strata::cli {

RunFn add_inspect(CLI::App& root) {
  auto* sub = root.add_subcommand("inspect", "Describe a checkpoint: family, architecture, dtypes");
  return [sub] { (void)sub; return 0; };
}

}  // namespace strata::cli
