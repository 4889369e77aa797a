#include "reference.h"

#include <cstdlib>
#include <fstream>
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

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return nlohmann::json::parse(in);
}

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::current_path() / "test-tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace strata::test
