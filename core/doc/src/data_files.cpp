#include "strata/doc/data_files.h"

#include <cstdlib>
#include <system_error>

namespace strata::doc {

namespace fs = std::filesystem;

std::vector<fs::path> data_file_candidates(const char* env, std::string_view share_relative, const fs::path& source_dir,
                                           std::string_view source_relative) {
  std::vector<fs::path> out;
  if (const char* value = env ? std::getenv(env) : nullptr; value && *value) out.emplace_back(value);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back(exe.parent_path().parent_path() / "share/strata" / share_relative);
  if (!source_dir.empty()) out.push_back(source_dir / source_relative);
  return out;
}

std::optional<fs::path> first_data_file(const std::vector<fs::path>& candidates) {
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

}  // namespace strata::doc
