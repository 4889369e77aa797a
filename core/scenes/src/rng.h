// rng.h — the scenes' private PRNG: splitmix64, with integer-only helpers, so sampling gives the
// same scenes on every platform (std distributions are implementation-defined).
#pragma once

#include <cstdint>
#include <span>

namespace strata::scenes {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0); the modulo bias is below 2^-40 for the n used here.
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  // Uniform in [0, 1) with 24 bits, exact in float.
  float unit() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * unit(); }
  bool chance(float p) { return unit() < p; }
  template <typename T>
  const T& pick(std::span<const T> items) { return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))]; }

 private:
  std::uint64_t state_;
};

// Mixes two values into a seed (for per-item streams: seed_of(seed, index)).
inline std::uint64_t seed_of(std::uint64_t a, std::uint64_t b) {
  Rng r(a ^ (b * 0xd1b54a32d192ed03ull + 0x8cb92ba72f3d8dd7ull));
  return r.next();
}

}  // namespace strata::scenes
