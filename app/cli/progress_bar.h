// Terminal progress: a redrawn bar with s/step and ETA on a terminal, plain lines otherwise.
#pragma once

#include <chrono>

#include "strata/diffusion/pipeline.h"

namespace strata::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool terminal) : terminal_(terminal) {}
  void update(const diffusion::Progress& p, int batch_count);
  void finish();

 private:
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace strata::cli
