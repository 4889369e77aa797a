#include "common.h"

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

}  // namespace strata::cli
