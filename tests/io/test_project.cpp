// Strata projects as OpenRaster: the document, settings, staging and accepted layers' generation
// records round-trip exactly; foreign
// .ora files load; broken project data is refused naming the file.
#include <catch2/catch.hpp>

#include "reference.h"
#include "strata/doc/commands.h"
#include "strata/doc/dump.h"
#include "strata/doc/error.h"
#include "strata/io/project.h"

using namespace strata;

namespace {

doc::Image8 pattern(int w, int h, int channels, int seed) {
  doc::Image8 im(w, h, channels);
  for (std::size_t i = 0; i < im.pixels.size(); ++i) im.pixels[i] = static_cast<std::uint8_t>((i * 31 + seed * 17) % 251);
  if (channels == 4) {
    for (std::size_t i = 3; i < im.pixels.size(); i += 4) im.pixels[i] = static_cast<std::uint8_t>(i % 3 == 0 ? 255 : 128);
  }
  return im;
}

io::Project sample_project() {
  io::Project p;
  doc::History h(p.document);
  const auto sky = h.push(doc::AddLayer::raster("sky", pattern(80, 40, 4, 1), -20, -10)).id();
  const auto cat = h.push(doc::AddLayer::raster("cat & <dog> \"ünï\"", pattern(30, 30, 4, 2), 50, 60)).id();
  h.push(doc::set_strength(sky, 0.3f));
  h.push(doc::set_opacity(cat, 0.6f));
  h.push(doc::set_visible(cat, false));
  h.push(std::make_unique<doc::SetLayerPosition>(cat, 52, 61));
  const auto mask = h.push(doc::AddLayer::mask("mask")).id();
  h.push(doc::fill_mask(p.document, mask, doc::Rect{8, 8, 24, 16}, 200));
  h.push(doc::set_feather(mask, 6));
  h.push(std::make_unique<doc::SetBBox>(doc::Rect{-16, -8, 128, 96}));
  p.settings.prompt = "a red circle on a blue background";
  p.settings.negative_prompt = "blurry";
  p.settings.seed = 1234;
  p.settings.steps = 20;
  p.template_name = "Photography: portrait";
  io::StagedImage st{pattern(128, 96, 3, 5), {}};
  st.info.prompt = "staged";
  st.info.seed = 99;
  p.staging.push_back(st);
  return p;
}

}  // namespace

TEST_CASE("project: document, settings and staging round-trip through .ora", "[io][project]") {
  const auto dir = test::temp_dir("project_roundtrip");
  const io::Project p = sample_project();
  io::save_project(dir / "a.ora", p);
  const io::Project q = io::load_project(dir / "a.ora");
  CHECK(doc::dump(q.document) == doc::dump(p.document));
  CHECK(q.settings == p.settings);
  CHECK(q.template_name == p.template_name);
  REQUIRE(q.staging.size() == 1);
  CHECK(q.staging[0].image.pixels == p.staging[0].image.pixels);
  CHECK(q.staging[0].info == p.staging[0].info);
  // Saving what was loaded gives the same file content again.
  io::save_project(dir / "b.ora", q);
  CHECK(doc::dump(io::load_project(dir / "b.ora").document) == doc::dump(p.document));
}

TEST_CASE("project: accepted layers' generation records round-trip by layer id", "[io][project][layer-generation]") {
  const auto dir = test::temp_dir("project_layer_generation");
  io::Project p = sample_project();
  const doc::LayerId sky = p.document.layers().front().id;
  io::GenerationInfo info;
  info.prompt = "a red fox";
  info.seed = 4242;
  info.steps = 4;
  p.layer_generation[sky.value] = info;
  p.layer_generation[777] = info;  // a layer the document no longer has: dropped at save
  const io::OraStack stack = io::to_ora(p);
  CHECK(stack.strata_json.find("\"777\"") == std::string::npos);
  io::save_project(dir / "a.ora", p);
  const io::Project q = io::load_project(dir / "a.ora");
  REQUIRE(q.layer_generation.size() == 1);
  REQUIRE(q.layer_generation.count(sky.value) == 1);
  CHECK(q.layer_generation.at(sky.value) == info);

  SECTION("a record for an id with no layer is ignored on load") {
    io::OraStack s = stack;
    const std::string key = "\"layer_generation\": {";
    const auto at = s.strata_json.find(key);
    REQUIRE(at != std::string::npos);
    s.strata_json.insert(at + key.size(), "\"999\": " + io::to_json(info) + ", \"x\": " + io::to_json(info) + ",");
    io::write_ora(dir / "extra.ora", s);
    const io::Project r = io::load_project(dir / "extra.ora");
    CHECK(r.layer_generation.size() == 1);
    CHECK(r.layer_generation.count(sky.value) == 1);
  }
  SECTION("a project written before the key existed loads with no records") {
    io::Project old = sample_project();
    io::OraStack s = io::to_ora(old);
    const std::string empty = "\"layer_generation\": {},";
    const auto at = s.strata_json.find(empty);
    REQUIRE(at != std::string::npos);
    s.strata_json.erase(at, empty.size());
    REQUIRE(s.strata_json.find("layer_generation") == std::string::npos);
    io::write_ora(dir / "old.ora", s);
    const io::Project r = io::load_project(dir / "old.ora");
    CHECK(r.layer_generation.empty());
    CHECK(doc::dump(r.document) == doc::dump(old.document));
    CHECK(r.settings == old.settings);
  }
}

TEST_CASE("project: empty layers and masks round-trip", "[io][project]") {
  const auto dir = test::temp_dir("project_empty");
  io::Project p;
  doc::History h(p.document);
  h.push(doc::AddLayer::empty_raster("nothing yet"));
  const auto mask = h.push(doc::AddLayer::mask("unpainted")).id();
  h.push(doc::set_feather(mask, 3));
  io::save_project(dir / "empty.ora", p);
  const io::Project q = io::load_project(dir / "empty.ora");
  CHECK(doc::dump(q.document) == doc::dump(p.document));
}

TEST_CASE("project: other programs see the layers, masks as a translucent tint", "[io][project]") {
  const io::OraStack s = io::to_ora(sample_project());
  REQUIRE(s.layers.size() == 3);
  CHECK(s.layers[0].name == "mask");  // top first
  CHECK(s.layers[0].opacity == Approx(0.5f));
  CHECK(s.layers[2].name == "sky");
  CHECK(s.layers[2].x == 0);  // the canvas starts at the leftmost content (-20)
  CHECK(s.width == 128 + 4);  // bbox -16..112 and sky from -20
  CHECK(s.merged.width == s.width);
}

TEST_CASE("project: a plain .ora from another program loads as raster layers", "[io][project]") {
  const auto dir = test::temp_dir("project_foreign");
  io::OraStack s;
  s.width = 128;
  s.height = 64;
  io::OraLayer l;
  l.name = "background";
  l.pixels = pattern(128, 64, 4, 3);
  s.layers.push_back(l);
  io::write_ora(dir / "gimp.ora", s);
  const io::Project p = io::load_project(dir / "gimp.ora");
  REQUIRE(p.document.layer_count() == 1);
  const auto& layer = p.document.layers()[0];
  CHECK(layer.name == "background");
  CHECK(layer.strength == Approx(doc::default_strength));
  CHECK(p.document.bbox() == doc::Rect{0, 0, 128, 64});
  CHECK(p.document.read_region(layer.id, {0, 0, 128, 64}).pixels == l.pixels.pixels);
}

TEST_CASE("project: broken project data is refused naming the file", "[io][project][bad-input]") {
  const auto dir = test::temp_dir("project_bad");
  io::OraStack s = io::to_ora(sample_project());
  auto expect = [&](const std::string& what) {
    io::write_ora(dir / "bad.ora", s);
    try {
      (void)io::load_project(dir / "bad.ora");
      FAIL("no error");
    } catch (const doc::Error& e) {
      CHECK(e.code() == doc::ErrorCode::CorruptFile);
      CHECK_THAT(e.what(), Catch::Contains("bad.ora") && Catch::Contains(what));
    }
  };
  SECTION("not JSON") {
    s.strata_json = "{";
    expect("strata/project.json");
  }
  SECTION("a staged image missing") {
    s.strata_files.clear();
    expect("strata/staging/0.png is missing");
  }
  SECTION("a strength out of range") {
    s.layers[2].attributes["strata:strength"] = "7";
    expect("strata:strength is not a number in [0,1]");
  }
  SECTION("layer_generation not an object") {
    const std::string empty = "\"layer_generation\": {}";
    s.strata_json.replace(s.strata_json.find(empty), empty.size(), "\"layer_generation\": [1]");
    expect("layer_generation is not an object");
  }
  SECTION("two layers with one id") {
    s.layers[1].attributes["strata:id"] = s.layers[2].attributes["strata:id"];
    expect("is used twice");
  }
}
