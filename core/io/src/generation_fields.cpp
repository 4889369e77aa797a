// Names and small values shared by the metadata readers and writers: model families, prediction
// types, "WxH" pairs.
#include <cctype>
#include <string>

#include "detail.h"
#include "strata/io/generation_info.h"

namespace strata::io {

namespace {

// Lower case without spaces, '-', '_' and '.': "SD 1.5" -> "sd15", "sdxl-refiner" -> "sdxlrefiner".
std::string squeezed(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

namespace detail {

std::string format_pair(int first, int second) { return std::to_string(first) + "x" + std::to_string(second); }

std::optional<std::pair<int, int>> parse_pair(std::string_view text) {
  text = trim(text);
  auto x = text.find('x');
  if (x == std::string_view::npos) return std::nullopt;
  auto a = parse_int(text.substr(0, x));
  auto b = parse_int(text.substr(x + 1));
  if (!a || !b || *a < 0 || *b < 0) return std::nullopt;
  return std::pair{*a, *b};
}

}  // namespace detail

std::string normalise_model_family(std::string_view name) {
  const std::string s = squeezed(name);
  if (s.starts_with("sdxl")) return "SDXL";
  for (std::string_view prefix : {"sd", "sdv", "stablediffusion", "stablediffusionv"}) {
    if (s.size() > prefix.size() && s.starts_with(prefix)) {
      const char major = s[prefix.size()];
      if (major == '1') return "SD1";
      if (major == '2') return "SD2";
    }
  }
  return std::string(detail::trim(name));
}

std::string normalise_prediction(std::string_view name) {
  const std::string s = squeezed(name);
  if (s == "eps" || s == "epsilon") return "epsilon";
  if (s == "v" || s == "vprediction") return "v";
  return std::string(detail::trim(name));
}

}  // namespace strata::io
