// Helpers shared by strata-cli subcommands: exit-code mapping and terminal detection.
#pragma once

#include <string>

#include "strata/doc/error.h"

namespace strata::cli {

// 2 for what the user can fix (bad file, bad argument, unsupported model), 1 for runtime
// failures, 130 for cancellation.
int exit_code_for(const doc::Error& e);

bool stderr_is_terminal();

}  // namespace strata::cli
