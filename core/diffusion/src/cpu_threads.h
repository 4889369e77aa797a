// cpu_threads.h (private) — one place that sets how many CPU threads the diffusion core uses.
#pragma once

namespace strata::diffusion {

// Sets torch's intra-op threads to `threads` (0 = every core) and pins OpenBLAS to one thread:
// torch already splits its GEMMs across the intra-op pool, and a second, threaded BLAS pool on top
// of it oversubscribes the cores and spin-waits (measured: a full-size fp32 UNet pass takes 5.4 s
// with both pools on this 2-core machine, 2.6 s with OpenBLAS single-threaded; docs/PERFORMANCE.md).
// Returns the intra-op thread count now in effect.
int configure_cpu_threads(int threads);

}  // namespace strata::diffusion
