#include "cpu_threads.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <thread>

namespace strata::diffusion {

int configure_cpu_threads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  // OpenBLAS is loaded by libtorch at start-up; look its setter up at run time so that a build
  // against another BLAS (or none) still links and runs.
  using SetThreads = void (*)(int);
  if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  return at::get_num_threads();
}

}  // namespace strata::diffusion
