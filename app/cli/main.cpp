// strata-cli: inspect models, generate images, read image metadata, benchmark.
#include <iostream>
#include <vector>

#include "commands.h"
#include "common.h"

int main(int argc, char** argv) {
  CLI::App app{"Strata command line: Stable Diffusion on the CPU or GPU, no Python"};
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, strata::cli::RunFn>> commands;
  auto add = [&](strata::cli::RunFn (*fn)(CLI::App&)) {
    auto run = fn(app);
    commands.emplace_back(app.get_subcommands({}).back(), std::move(run));
  };
  add(&strata::cli::add_inspect);
  add(&strata::cli::add_generate);
  add(&strata::cli::add_info);
  add(&strata::cli::add_bench);
  add(&strata::cli::add_eval_shapes);
  add(&strata::cli::add_fit_preview);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  for (auto& [sub, run] : commands) {
    if (!sub->parsed()) continue;
    try {
      return run();
    } catch (const strata::doc::Error& e) {
      std::cerr << "error: " << e.what() << "\n";
      return strata::cli::exit_code_for(e);
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }
  return 2;
}
