// default_model.cpp — see strata/io/default_model.h.
#include "strata/io/default_model.h"

#include <cstdlib>
#include <system_error>

namespace strata::io {

namespace fs = std::filesystem;

std::vector<fs::path> default_model_candidates() {
  const std::string file = std::string(kDefaultModelName) + "/" + kDefaultModelName + ".safetensors";
  std::vector<fs::path> out;
  if (const char* env = std::getenv("STRATA_DEFAULT_MODEL"); env && *env) out.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back(exe.parent_path().parent_path() / "share/strata/models" / file);
#ifdef STRATA_SOURCE_MODELS_DIR
  out.push_back(fs::path(STRATA_SOURCE_MODELS_DIR) / file);
#endif
  return out;
}

std::optional<fs::path> find_default_model() {
  for (const fs::path& p : default_model_candidates()) {
    std::error_code ec;
    if (fs::exists(p, ec)) return p;
  }
  return std::nullopt;
}

std::string default_model_search_description() {
  std::string s;
  for (const fs::path& p : default_model_candidates()) s += (s.empty() ? "" : ", ") + p.string();
  return s;
}

}  // namespace strata::io
