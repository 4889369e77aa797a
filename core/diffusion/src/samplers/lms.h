// lms.h (private) — linear multistep coefficients by numeric integration, computed once per plan.
//
// Both references integrate the Lagrange basis polynomial with scipy.integrate.quad(epsrel=1e-4);
// for these low-degree polynomials QUADPACK's QAGS returns after its first 21-point Gauss–Kronrod
// evaluation, which is what kronrod21() computes (same nodes, weights and summation order).
// Ref: QUADPACK dqk21 (Piessens et al. 1983, as wrapped by scipy.integrate.quad);
//      diffusers v0.21.4 scheduling_lms_discrete.py get_lms_coefficient;
//      k-diffusion ab527a9a sampling.py linear_multistep_coeff.
#pragma once

#include <functional>
#include <vector>

namespace strata::diffusion {

// ∫_a^b f by the 21-point Kronrod rule (a > b allowed, like QUADPACK).
double kronrod21(const std::function<double(double)>& f, double a, double b);

// Coefficient j of an `order`-step method at step i over σ = sigmas (σ_i → σ_{i+1}).
// diffusers evaluates the integrand with float32 tensors (float_integrand = true); k-diffusion with
// float64 numpy scalars over the float32 σ values.
double lms_coefficient(const std::vector<float>& sigmas, int order, int i, int j, bool float_integrand);

// Coefficients for every step of a σ list (σ has one more entry than there are steps);
// step i gets min(i+1, max_order) coefficients.
std::vector<std::vector<double>> lms_coefficients(const std::vector<float>& sigmas, int max_order,
                                                  bool float_integrand);

}  // namespace strata::diffusion
