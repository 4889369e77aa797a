// strata-make-checkpoint — writes a full-size random-weight checkpoint (.safetensors, single-file
// layout) from a key/shape manifest (reference/manifests/sd15.json), for load-time and speed
// benchmarks without downloading real weights. Torch-free.
//
// Values: weights uniform in ±1/sqrt(fan_in) (fan_in = product of all dims but the first), norm
// scales 1 ± 0.02, biases ±0.01, position_ids = 0..76 (int64), the 12 DDPM buffers computed from
// SD's scaled-linear schedule. Deterministic for a given --seed.
//
// Usage: strata-make-checkpoint -o sd15-random.safetensors [--dtype fp16|fp32] [--manifest PATH]
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  std::vector<std::int64_t> shape;
  std::string dtype;  // "F32", "F16", "I64"
  std::uint64_t numel = 1;
  std::uint64_t bytes = 0;
};

// IEEE half from float, round to nearest even (values here are small and finite).
std::uint16_t to_half(float f) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const int exp = static_cast<int>((x >> 23) & 0xff) - 127 + 15;
  std::uint32_t mant = x & 0x7fffffu;
  if (exp <= 0) {  // subnormal or zero
    if (exp < -10) return static_cast<std::uint16_t>(sign);
    mant |= 0x800000u;
    const int shift = 14 - exp;
    std::uint32_t half = mant >> shift;
    const std::uint32_t rem = mant & ((1u << shift) - 1);
    const std::uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  if (exp >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);
  std::uint32_t half = (static_cast<std::uint32_t>(exp) << 10) | (mant >> 13);
  const std::uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent: fine
  return static_cast<std::uint16_t>(sign | half);
}

// xorshift64* → uniform [-1, 1)
struct Rng {
  std::uint64_t s;
  float next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    const std::uint64_t r = s * 2685821657736338717ull;
    return static_cast<float>(static_cast<double>(r >> 40) / static_cast<double>(1ull << 23) - 1.0);
  }
};

// The DDPM buffers of ldm's LatentDiffusion (linear_start 0.00085, linear_end 0.012, 1000 steps).
std::map<std::string, std::vector<float>> ddpm_buffers() {
  const int n = 1000;
  std::vector<double> betas(n), ac(n), ac_prev(n);
  double prod = 1.0;
  for (int i = 0; i < n; ++i) {
    const double b = std::sqrt(0.00085) + (std::sqrt(0.012) - std::sqrt(0.00085)) * i / (n - 1);
    betas[i] = b * b;
    ac_prev[i] = prod;
    prod *= 1.0 - betas[i];
    ac[i] = prod;
  }
  std::map<std::string, std::vector<float>> out;
  auto add = [&](const char* name, auto fn) {
    auto& v = out[name];
    for (int i = 0; i < n; ++i) v.push_back(static_cast<float>(fn(i)));
  };
  auto post_var = [&](int i) { return betas[i] * (1.0 - ac_prev[i]) / (1.0 - ac[i]); };
  add("betas", [&](int i) { return betas[i]; });
  add("alphas_cumprod", [&](int i) { return ac[i]; });
  add("alphas_cumprod_prev", [&](int i) { return ac_prev[i]; });
  add("sqrt_alphas_cumprod", [&](int i) { return std::sqrt(ac[i]); });
  add("sqrt_one_minus_alphas_cumprod", [&](int i) { return std::sqrt(1.0 - ac[i]); });
  add("log_one_minus_alphas_cumprod", [&](int i) { return std::log(1.0 - ac[i]); });
  add("sqrt_recip_alphas_cumprod", [&](int i) { return std::sqrt(1.0 / ac[i]); });
  add("sqrt_recipm1_alphas_cumprod", [&](int i) { return std::sqrt(1.0 / ac[i] - 1.0); });
  add("posterior_variance", post_var);
  add("posterior_log_variance_clipped", [&](int i) { return std::log(std::max(post_var(i), 1e-20)); });
  add("posterior_mean_coef1", [&](int i) { return betas[i] * std::sqrt(ac_prev[i]) / (1.0 - ac[i]); });
  add("posterior_mean_coef2", [&](int i) { return (1.0 - ac_prev[i]) * std::sqrt(1.0 - betas[i]) / (1.0 - ac[i]); });
  return out;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_norm_scale(const Entry& e) {
  if (e.shape.size() != 1 || !ends_with(e.name, ".weight")) return false;
  for (const char* part : {"norm", "ln_", "in_layers.0.", "out_layers.0.", "out.0.", "layer_norm"}) {
    if (e.name.find(part) != std::string::npos) return true;
  }
  return false;
}

fs::path default_manifest() {
  if (const char* dir = std::getenv("STRATA_REFERENCE_DIR")) return fs::path(dir) / "manifests" / "sd15.json";
  return fs::path("../shared/reference/manifests/sd15.json");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a full-size random-weight SD checkpoint (.safetensors) from a manifest, for benchmarks"};
  std::string out_path, dtype = "fp16", manifest_path = default_manifest().string();
  std::uint64_t seed = 1;
  app.add_option("-o,--output", out_path, "output .safetensors file")->required();
  app.add_option("--dtype", dtype, "storage dtype of float tensors")->check(CLI::IsMember({"fp16", "fp32"}));
  app.add_option("--manifest", manifest_path, "key/shape manifest (reference/manifests/*.json)");
  app.add_option("--seed", seed, "random seed");
  CLI11_PARSE(app, argc, argv);

  nlohmann::json manifest;
  try {
    std::ifstream in(manifest_path);
    if (!in) throw std::runtime_error("cannot open");
    manifest = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    std::cerr << "error: " << manifest_path << ": " << e.what() << "\n";
    return 2;
  }
  const auto ddpm = ddpm_buffers();
  const std::string float_dtype = dtype == "fp16" ? "F16" : "F32";
  std::vector<Entry> entries;
  nlohmann::json header = nlohmann::json::object();
  header["__metadata__"] = {{"format", "pt"}, {"strata.random_weights", "true"}};
  std::uint64_t offset = 0;
  for (const auto& [name, shape] : manifest.at("tensors").items()) {  // nlohmann keeps keys sorted
    Entry e{name, shape.get<std::vector<std::int64_t>>(), float_dtype};
    for (auto d : e.shape) e.numel *= static_cast<std::uint64_t>(d);
    if (ends_with(name, "position_ids")) e.dtype = "I64";
    if (ddpm.count(name)) e.dtype = "F32";
    e.bytes = e.numel * (e.dtype == "I64" ? 8 : e.dtype == "F32" ? 4 : 2);
    header[name] = {{"dtype", e.dtype}, {"shape", e.shape}, {"data_offsets", {offset, offset + e.bytes}}};
    offset += e.bytes;
    entries.push_back(std::move(e));
  }
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');

  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::cerr << "error: " << out_path << ": cannot write\n";
    return 2;
  }
  const std::uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((n >> (8 * i)) & 0xff));
  out << h;
  Rng rng{seed * 0x9E3779B97F4A7C15ull + 1};
  std::vector<char> buf;
  for (const auto& e : entries) {
    buf.resize(e.bytes);
    if (e.dtype == "I64") {
      for (std::uint64_t i = 0; i < e.numel; ++i) {
        const auto v = static_cast<std::int64_t>(i % static_cast<std::uint64_t>(e.shape.back()));
        std::memcpy(buf.data() + 8 * i, &v, 8);
      }
    } else {
      std::uint64_t fan_in = 1;
      for (std::size_t d = 1; d < e.shape.size(); ++d) fan_in *= static_cast<std::uint64_t>(e.shape[d]);
      const bool norm = is_norm_scale(e);
      const float scale = e.shape.size() >= 2 ? 1.0f / std::sqrt(static_cast<float>(fan_in)) : norm ? 0.02f : 0.01f;
      const auto ddpm_it = ddpm.find(e.name);
      for (std::uint64_t i = 0; i < e.numel; ++i) {
        float v = ddpm_it != ddpm.end() ? ddpm_it->second[i] : (norm ? 1.0f : 0.0f) + scale * rng.next();
        if (e.dtype == "F32") {
          std::memcpy(buf.data() + 4 * i, &v, 4);
        } else {
          const std::uint16_t half = to_half(v);
          std::memcpy(buf.data() + 2 * i, &half, 2);
        }
      }
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  }
  out.close();
  if (!out) {
    std::cerr << "error: " << out_path << ": write failed (disk full?)\n";
    return 1;
  }
  std::cout << "wrote " << out_path << ": " << entries.size() << " tensors, " << (8 + n + offset) << " bytes ("
            << dtype << ")\n";
  return 0;
}
