#include "progress_bar.h"

#include <cstdio>

namespace strata::cli {

void ProgressBar::update(const diffusion::Progress& p, int batch_count) {
  const int remaining = (p.total_steps - p.step) + (batch_count - 1 - p.image_index) * p.total_steps;
  const double eta = remaining * p.seconds_per_step;
  if (terminal_) {
    constexpr int kWidth = 30;
    int filled = p.total_steps > 0 ? kWidth * p.step / p.total_steps : 0;
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    std::fprintf(stderr, "\r[%s] image %d/%d step %d/%d  %.2f s/step  ETA %.1f s ", bar, p.image_index + 1,
                 batch_count, p.step, p.total_steps, p.seconds_per_step, eta);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "image %d/%d step %d/%d %.3f s/step eta %.1f s\n", p.image_index + 1, batch_count,
                 p.step, p.total_steps, p.seconds_per_step, eta);
  }
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (terminal_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace strata::cli
