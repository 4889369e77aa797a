// Golden tests: each tests/doc/golden/NAME.script runs through the script runner and its transcript
// must equal NAME.expected. STRATA_UPDATE_GOLDEN=1 rewrites the .expected files (inspect the diff!).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../support/reference.h"
#include "script_runner.h"

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string first_difference(const std::string& got, const std::string& want) {
  std::istringstream a(got), b(want);
  std::string la, lb;
  for (int n = 1;; ++n) {
    const bool ha = static_cast<bool>(std::getline(a, la));
    const bool hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "identical";
    if (!ha || !hb || la != lb) return "line " + std::to_string(n) + ":\n  got:      " + (ha ? la : "<end>") +
                                        "\n  expected: " + (hb ? lb : "<end>");
  }
}

}  // namespace

TEST_CASE("document scripts match their golden transcripts", "[doc][golden]") {
  const fs::path dir = strata::test::source_dir() / "tests" / "doc" / "golden";
  std::vector<fs::path> scripts;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".script") scripts.push_back(e.path());
  }
  std::sort(scripts.begin(), scripts.end());
  REQUIRE(scripts.size() >= 5);
  const char* update = std::getenv("STRATA_UPDATE_GOLDEN");
  for (const fs::path& script : scripts) {
    SECTION(script.filename().string()) {
      const std::string got = strata::test::run_doc_script(read_text(script));
      fs::path expected = script;
      expected.replace_extension(".expected");
      if (update != nullptr && std::string(update) == "1") {
        std::ofstream(expected, std::ios::binary) << got;
        WARN("rewrote " << expected.string());
        continue;
      }
      REQUIRE(fs::exists(expected));
      const std::string want = read_text(expected);
      INFO(script.filename().string() << " first difference at " << first_difference(got, want));
      CHECK(got == want);
    }
  }
}
