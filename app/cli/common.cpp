#include "common.h"

#include "strata/io/default_model.h"

#include <iostream>

#include <unistd.h>

namespace strata::cli {

int exit_code_for(const doc::Error& e) {
  switch (e.code()) {
    case doc::ErrorCode::Runtime: return 1;
    case doc::ErrorCode::Cancelled: return 130;
    default: return 2;
  }
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

std::string model_or_default(const std::string& model) {
  if (!model.empty()) return model;
  if (auto found = io::find_default_model()) {
    std::cerr << "strata-cli: no -m given, using the embedded default model " << found->string() << "\n";
    return found->string();
  }
  throw doc::Error(doc::ErrorCode::NotFound, "no model given (-m) and the embedded default model is not installed; looked at " +
                                                 io::default_model_search_description());
}

}  // namespace strata::cli
