// The one name table per enum: parse, print, list; unknown names are errors naming the value.
#include <catch2/catch.hpp>

#include <set>

#include "strata/doc/error.h"
#include "strata/doc/sampling.h"
#include "strata/generate/settings.h"

using namespace strata;

namespace {

template <typename Table>
void check_round_trip(const Table& table) {
  std::set<std::string_view> ids;
  for (const auto& row : table) {
    CHECK(ids.insert(row.id).second);  // ids are unique
    CHECK(doc::parse_named(table, row.id, "x") == row.value);
    if (row.listed) CHECK(doc::id_of(table, row.value) == row.id);
  }
}

}  // namespace

TEST_CASE("name tables: every id parses back to its value, listed ids print", "[generate][names]") {
  check_round_trip(generate::kPreviewModes);
  check_round_trip(diffusion::kDevices);
  check_round_trip(diffusion::kPrecisions);
  check_round_trip(io::kInfillMethods);
  check_round_trip(doc::kConventions);
  CHECK(doc::parse_named(io::kInfillMethods, "edge", "infill") == io::InfillMethod::EdgeTile);
  CHECK(doc::joined_ids(io::kInfillMethods) == "telea, edge_tile, solid, noise");  // aliases not listed
}

TEST_CASE("name tables: an unknown name is an error listing the valid ones", "[generate][names]") {
  CHECK_THROWS_WITH(doc::parse_named(diffusion::kPrecisions, "fp8", "precision"),
                    "unknown precision 'fp8'; expected one of: fp32, bf16, fp16");
  CHECK_THROWS_AS(doc::parse_sampler("dpmpp_sde"), doc::Error);  // known to A1111, not run here
  CHECK_THROWS_WITH(doc::parse_schedule("beta"), Catch::Contains("expected one of: normal, karras"));
}

TEST_CASE("the sampler table: runnable kinds, A1111 and ComfyUI names", "[generate][names]") {
  std::set<doc::SamplerKind> kinds;
  for (const auto& row : doc::sampler_names()) {
    if (!row.kind) continue;
    kinds.insert(*row.kind);
    CHECK(doc::parse_sampler(row.id) == *row.kind);
    CHECK(doc::to_string(*row.kind) == row.id);
    CHECK(doc::sampler_id_from_a1111(row.a1111) == std::optional<std::string>(row.id));
    CHECK(doc::sampler_id_from_comfy(row.comfy) == row.id);
  }
  CHECK(kinds.size() == 9);  // every SamplerKind, dpm_2 included
  CHECK(doc::runnable_sampler_ids() == "euler, euler_a, dpmpp_2m, ddim, lms, heun, ddpm, pndm, dpm_2");
  CHECK(doc::sampler_id_from_comfy("dpmpp_2m_sde_gpu") == "dpmpp_2m_sde");
  CHECK(doc::sampler_id_from_comfy("uni_pc") == "unipc");
  CHECK(doc::sampler_id_from_comfy("some_new_sampler") == "some_new_sampler");
}
