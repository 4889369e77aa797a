// Helpers shared by strata-cli subcommands: exit-code mapping and terminal detection.
#pragma once

#include <string>

#include "strata/doc/error.h"

namespace strata::cli {

// 2 for what the user can fix (bad file, bad argument, unsupported model), 1 for runtime
// failures, 130 for cancellation.
int exit_code_for(const doc::Error& e);

bool stderr_is_terminal();

// `model` as given, or the embedded default model (strata/io/default_model.h) when empty; throws
// doc::Error(NotFound) naming where it looked when there is none.
std::string model_or_default(const std::string& model);

}  // namespace strata::cli
