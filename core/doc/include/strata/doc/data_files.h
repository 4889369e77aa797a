// strata/doc/data_files.h — where a data file installed with Strata (the embedded model, the CLIP
// vocabulary) is looked for: an environment variable naming the file, then <prefix>/share/strata/…
// beside the running binary (<prefix>/bin/…), then the source tree (builds run from build/).
// Thread-safety: pure functions (they read the environment and /proc/self/exe).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace strata::doc {

// The candidates in that order; `env` may be unset or empty, `source_dir` empty (not a build tree).
std::vector<std::filesystem::path> data_file_candidates(const char* env, std::string_view share_relative,
                                                        const std::filesystem::path& source_dir,
                                                        std::string_view source_relative);

// The first candidate that is a regular file.
std::optional<std::filesystem::path> first_data_file(const std::vector<std::filesystem::path>& candidates);

}  // namespace strata::doc
