// default_model.cpp — see strata/io/default_model.h.
#include "strata/io/default_model.h"

#include "strata/doc/data_files.h"

#include <system_error>

namespace strata::io {

namespace fs = std::filesystem;

std::vector<fs::path> default_model_candidates() {
  const std::string file = std::string(kDefaultModelName) + "/" + kDefaultModelName + ".safetensors";
#ifdef STRATA_SOURCE_MODELS_DIR
  const fs::path source = STRATA_SOURCE_MODELS_DIR;
#else
  const fs::path source;
#endif
  return doc::data_file_candidates("STRATA_DEFAULT_MODEL", "models/" + file, source, file);
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
