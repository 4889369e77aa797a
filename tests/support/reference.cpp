#include "reference.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace strata::test {

std::filesystem::path source_dir() {
  if (const char* s = std::getenv("STRATA_SOURCE_DIR")) return s;
  return STRATA_DEFAULT_SOURCE_DIR;
}

std::filesystem::path reference_dir() {
  if (const char* s = std::getenv("STRATA_REFERENCE_DIR")) return s;
  return STRATA_DEFAULT_REFERENCE_DIR;
}

bool reference_available() { return std::filesystem::exists(reference_dir() / "README.md"); }

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// The kit is written by Python's json module, which emits the bare tokens -Infinity, Infinity and
// NaN (e.g. DPM-Solver's lambda_min_clipped). They are not JSON: outside strings they become null.
nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      out += ch;
      if (ch == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') in_string = true;
    bool replaced = false;
    for (const std::string token : {"-Infinity", "Infinity", "NaN"}) {
      if (text.compare(i, token.size(), token) == 0) {
        out += "null";
        i += token.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += ch;
  }
  return nlohmann::json::parse(out);
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::current_path() / "test-tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace strata::test
