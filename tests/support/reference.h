// Test helpers: where the reference kit and the source tree are.
//
// reference_dir() returns ../shared/reference (or $STRATA_REFERENCE_DIR). When it is missing, a
// test calls REQUIRE_REFERENCE(): under CI=true that fails the test; elsewhere it warns loudly and
// skips, so a test never skips silently.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace strata::test {

std::filesystem::path reference_dir();
bool reference_available();
bool running_in_ci();
std::filesystem::path source_dir();
nlohmann::json read_json(const std::filesystem::path& path);
std::filesystem::path temp_dir(const std::string& name);  // fresh, empty folder under the build dir

}  // namespace strata::test

#define REQUIRE_REFERENCE()                                                              \
  do {                                                                                    \
    if (!::strata::test::reference_available()) {                                         \
      if (::strata::test::running_in_ci()) {                                              \
        FAIL("reference kit missing at " << ::strata::test::reference_dir().string());    \
      }                                                                                   \
      WARN("SKIPPED: reference kit missing at " << ::strata::test::reference_dir().string()); \
      return;                                                                             \
    }                                                                                     \
  } while (0)
