#include "samplers/lms.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::diffusion {

namespace {

// QUADPACK dqk21: Kronrod abscissae (xgk, 1-based odd entries are Kronrod-only, even entries the
// 10-point Gauss nodes) and weights. Index 10 is the centre.
constexpr std::array<double, 11> kXgk{
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720,
    0.000000000000000000000000000000000};
constexpr std::array<double, 11> kWgk{
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077208980590838, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821};

}  // namespace

double kronrod21(const std::function<double(double)>& f, double a, double b) {
  const double centr = 0.5 * (a + b);
  const double hlgth = 0.5 * (b - a);
  double resk = kWgk[10] * f(centr);
  // Gauss nodes first (Fortran j = 1..5, jtw = 2j), then the Kronrod-only nodes (jtwm1 = 2j−1).
  for (int j = 1; j <= 5; ++j) {
    const auto k = static_cast<std::size_t>(2 * j - 1);  // 0-based index of xgk(jtw)
    const double absc = hlgth * kXgk[k];
    resk = resk + kWgk[k] * (f(centr - absc) + f(centr + absc));
  }
  for (int j = 1; j <= 5; ++j) {
    const auto k = static_cast<std::size_t>(2 * j - 2);  // 0-based index of xgk(jtwm1)
    const double absc = hlgth * kXgk[k];
    resk = resk + kWgk[k] * (f(centr - absc) + f(centr + absc));
  }
  return resk * hlgth;
}

double lms_coefficient(const std::vector<float>& sigmas, int order, int i, int j, bool float_integrand) {
  auto s = [&](int k) { return sigmas[static_cast<std::size_t>(k)]; };
  auto integrand = [&](double tau) -> double {
    if (float_integrand) {
      // diffusers: (tau − σ[i−k]) / (σ[i−j] − σ[i−k]) with 0-d float32 tensors.
      float prod = 1.0f;
      const auto tau32 = static_cast<float>(tau);
      for (int k = 0; k < order; ++k) {
        if (k == j) continue;
        prod *= (tau32 - s(i - k)) / (s(i - j) - s(i - k));
      }
      return prod;
    }
    // k-diffusion: Python float − np.float32 is float64; np.float32 − np.float32 stays float32.
    double prod = 1.0;
    for (int k = 0; k < order; ++k) {
      if (k == j) continue;
      const float denom = s(i - j) - s(i - k);
      prod *= (tau - static_cast<double>(s(i - k))) / static_cast<double>(denom);
    }
    return prod;
  };
  return kronrod21(integrand, s(i), s(i + 1));
}

std::vector<std::vector<double>> lms_coefficients(const std::vector<float>& sigmas, int max_order,
                                                  bool float_integrand) {
  std::vector<std::vector<double>> out;
  const int steps = static_cast<int>(sigmas.size()) - 1;
  for (int i = 0; i < steps; ++i) {
    const int order = std::min(i + 1, max_order);
    std::vector<double> c;
    for (int j = 0; j < order; ++j) c.push_back(lms_coefficient(sigmas, order, i, j, float_integrand));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace strata::diffusion
