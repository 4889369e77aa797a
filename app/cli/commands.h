// strata-cli subcommands. Each add_xxx() registers a subcommand on `root` and returns the function
// main() runs when that subcommand was chosen. A run function returns the exit code; doc::Error
// escaping it is mapped by main(): 2 for bad input, 1 for runtime failures, 130 for cancellation.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace strata::cli {

using RunFn = std::function<int()>;

RunFn add_inspect(CLI::App& root);
RunFn add_generate(CLI::App& root);
RunFn add_info(CLI::App& root);
RunFn add_bench(CLI::App& root);
RunFn add_eval_shapes(CLI::App& root);
RunFn add_fit_preview(CLI::App& root);

}  // namespace strata::cli
