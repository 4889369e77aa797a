// Strata projects ⇄ OpenRaster stacks (mapping documented in strata/io/project.h).
#include "strata/io/project.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "strata/doc/compose.h"
#include "strata/doc/error.h"
#include "strata/io/image_codec.h"

namespace strata::io {

namespace {

using doc::Error;
using doc::ErrorCode;
using nlohmann::json;

constexpr std::uint8_t kMaskTint[3] = {255, 32, 96};  // how other programs show a mask
constexpr float kMaskDisplayOpacity = 0.5f;

[[noreturn]] void corrupt(const std::string& name, const std::string& what) {
  throw Error(ErrorCode::CorruptFile, name + ": strata/project.json: " + what);
}

// The canvas: every layer's content and the bbox.
doc::Rect canvas_of(const doc::Document& d) {
  doc::Rect r = d.bbox();
  for (const auto& l : d.layers()) r = doc::unite(r, l.content_bounds());
  return r;
}

// The tile-aligned rect around a layer's content (empty for an empty layer): written as the layer
// PNG so that opening the project moves whole tiles instead of copying pixels.
doc::Rect tile_aligned(const doc::Rect& r) {
  if (r.empty()) return {};
  const int x0 = doc::tile_origin(doc::tile_index(r.x)), y0 = doc::tile_origin(doc::tile_index(r.y));
  const int x1 = doc::tile_origin(doc::tile_index(r.right() - 1) + 1), y1 = doc::tile_origin(doc::tile_index(r.bottom() - 1) + 1);
  return {x0, y0, x1 - x0, y1 - y0};
}

// The layer's pixels are shared with the document (no copy): its tiles over the tile-aligned
// content rect, masks tinted for other programs.
OraLayer layer_to_ora(const doc::Layer& l, const doc::Rect& canvas) {
  OraLayer o;
  o.name = l.name;
  o.visible = l.visible;
  o.locked = l.locked;
  const doc::Rect rect = tile_aligned(l.pixels.bounds());  // layer-local
  o.x = rect.x + l.x - canvas.x;
  o.y = rect.y + l.y - canvas.y;
  o.attributes["strata:id"] = std::to_string(l.id.value);
  o.attributes["strata:offset-x"] = std::to_string(l.x);
  o.attributes["strata:offset-y"] = std::to_string(l.y);
  o.tiled = OraTiles{l.pixels, rect, {0, 0, 0}};  // an empty rect is written as one transparent pixel
  if (l.is_mask()) {
    o.attributes["strata:kind"] = "mask";
    o.attributes["strata:feather"] = std::to_string(l.feather);
    o.attributes["strata:inverted"] = l.inverted ? "true" : "false";
    o.opacity = kMaskDisplayOpacity;
    o.tiled->tint = {kMaskTint[0], kMaskTint[1], kMaskTint[2]};
  } else {
    o.attributes["strata:kind"] = "raster";
    o.attributes["strata:strength"] = json(l.strength).dump();
    o.opacity = l.opacity;
  }
  return o;
}

// An RGBA tile's alpha channel as a coverage tile.
doc::TilePtr alpha_tile(const doc::Tile& rgba) {
  auto t = std::make_shared<doc::Tile>(1);
  for (std::size_t i = 0; i < t->data.size(); ++i) t->data[i] = rgba.data[i * 4 + 3];
  return t;
}

// Moves decoded RGBA tiles into a layer with their (0, 0) at layer-local (dx, dy): whole tiles
// when the offset is tile-aligned (Strata's own files), else copied tile by tile.
void place_tiles(doc::Layer& l, const doc::TiledImage& tiles, int dx, int dy) {
  const bool mask = l.pixels.channels() == 1;
  if (dx % doc::tile_size == 0 && dy % doc::tile_size == 0) {
    for (const auto& [key, tile] : tiles.tiles()) {
      const doc::TileKey to{key.ty + dy / doc::tile_size, key.tx + dx / doc::tile_size};
      l.pixels.set_tile(to, mask ? alpha_tile(*tile) : tile);
    }
    return;
  }
  for (const auto& [key, tile] : tiles.tiles()) {
    doc::Image8 px(doc::tile_size, doc::tile_size, mask ? 1 : 4);
    if (mask) {
      px.pixels = alpha_tile(*tile)->data;
    } else {
      px.pixels = tile->data;
    }
    l.pixels.write(px, doc::tile_origin(key.tx) + dx, doc::tile_origin(key.ty) + dy);
  }
}

int int_attr(const OraLayer& o, const char* key, int fallback, const std::string& name) {
  auto it = o.attributes.find(key);
  if (it == o.attributes.end()) return fallback;
  try {
    std::size_t used = 0;
    const int v = std::stoi(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  corrupt(name, "layer \"" + o.name + "\": " + key + " is not an integer: " + it->second);
}

float unit_attr(const OraLayer& o, const char* key, float fallback, const std::string& name) {
  auto it = o.attributes.find(key);
  if (it == o.attributes.end()) return fallback;
  try {
    std::size_t used = 0;
    const float v = std::stof(it->second, &used);
    if (used == it->second.size() && v >= 0.0f && v <= 1.0f) return v;
  } catch (const std::exception&) {
  }
  corrupt(name, "layer \"" + o.name + "\": " + key + " is not a number in [0,1]: " + it->second);
}

doc::Layer layer_from_ora(doc::Document& d, const OraLayer& o, int origin_x, int origin_y, const std::string& name) {
  const int id = int_attr(o, "strata:id", 0, name);
  doc::LayerId lid = id > 0 ? doc::LayerId{static_cast<std::uint32_t>(id)} : d.new_layer_id();
  if (d.contains(lid)) corrupt(name, "layer \"" + o.name + "\": strata:id " + std::to_string(id) + " is used twice");
  auto kind_it = o.attributes.find("strata:kind");
  const bool mask = kind_it != o.attributes.end() && kind_it->second == "mask";
  doc::Layer l = mask ? doc::Layer::mask(lid, o.name) : doc::Layer::raster(lid, o.name);
  l.visible = o.visible;
  l.locked = o.locked;
  l.x = int_attr(o, "strata:offset-x", 0, name);
  l.y = int_attr(o, "strata:offset-y", 0, name);
  if (mask) {
    l.feather = int_attr(o, "strata:feather", 0, name);
    if (l.feather < 0 || l.feather > 1024) corrupt(name, "layer \"" + o.name + "\": feather out of range");
    auto inv = o.attributes.find("strata:inverted");
    l.inverted = inv != o.attributes.end() && inv->second == "true";
  } else {
    l.opacity = std::clamp(o.opacity, 0.0f, 1.0f);
    l.strength = unit_attr(o, "strata:strength", doc::default_strength, name);
  }
  // Pixels: masks keep only the alpha channel (coverage); raster layers are written as they are.
  if (o.tiled) {
    place_tiles(l, o.tiled->tiles, o.x + origin_x - l.x - o.tiled->rect.x, o.y + origin_y - l.y - o.tiled->rect.y);
    return l;
  }
  doc::Image8 coverage;
  if (mask && o.pixels.channels == 4) {
    coverage = doc::Image8(o.pixels.width, o.pixels.height, 1);
    for (std::size_t i = 0; i < coverage.pixels.size(); ++i) coverage.pixels[i] = o.pixels.pixels[i * 4 + 3];
  }
  const doc::Image8& px = coverage.empty() ? o.pixels : coverage;
  if (!px.empty()) l.pixels.write(px, o.x + origin_x - l.x, o.y + origin_y - l.y);
  return l;
}

json staging_json(const Project& p, std::map<std::string, std::vector<std::uint8_t>>& files) {
  json list = json::array();
  for (std::size_t i = 0; i < p.staging.size(); ++i) {
    const std::string entry = "strata/staging/" + std::to_string(i) + ".png";
    files[entry] = encode_png(p.staging[i].image);
    list.push_back({{"image", entry}, {"info", json::parse(to_json(p.staging[i].info))}});
  }
  return list;
}

// A layer_generation key: the decimal layer id, 0 when it is not one.
std::uint32_t layer_id_key(const std::string& key) {
  std::uint32_t id = 0;
  const char* end = key.data() + key.size();
  const auto [ptr, ec] = std::from_chars(key.data(), end, id);
  return ec == std::errc{} && ptr == end ? id : 0;
}

}  // namespace

OraStack to_ora(const Project& p) {
  const doc::Document& d = p.document;
  const doc::Rect canvas = canvas_of(d);
  OraStack s;
  s.width = canvas.width;
  s.height = canvas.height;
  for (auto it = d.layers().rbegin(); it != d.layers().rend(); ++it) s.layers.push_back(layer_to_ora(*it, canvas));
  s.merged = doc::flatten(d, canvas);  // compose's colour, in bands: no float copy of the canvas
  const doc::Rect& b = d.bbox();
  json j = {{"schema", "strata.project"},
            {"version", 1},
            {"origin", {canvas.x, canvas.y}},
            {"bbox", {b.x, b.y, b.width, b.height}},
            {"settings", json::parse(to_json(p.settings))},
            {"template", p.template_name}};
  j["staging"] = staging_json(p, s.strata_files);
  json gen = json::object();
  for (const auto& [id, info] : p.layer_generation) {
    if (d.contains(doc::LayerId{id})) gen[std::to_string(id)] = json::parse(to_json(info));
  }
  j["layer_generation"] = std::move(gen);
  s.strata_json = j.dump(2);
  return s;
}

Project from_ora(const OraStack& s, const std::string& name) {
  Project p;
  int ox = 0, oy = 0;
  json j;
  if (!s.strata_json.empty()) {
    try {
      j = json::parse(s.strata_json);
      if (!j.is_object() || j.value("schema", "") != "strata.project") corrupt(name, "not a strata.project document");
      if (j.value("version", 0) != 1) corrupt(name, "unsupported version " + j.value("version", json()).dump());
      ox = j.at("origin").at(0).get<int>();
      oy = j.at("origin").at(1).get<int>();
    } catch (const json::exception& e) {
      corrupt(name, e.what());
    }
  }
  for (auto it = s.layers.rbegin(); it != s.layers.rend(); ++it) {
    p.document.insert_layer(layer_from_ora(p.document, *it, ox, oy, name), p.document.layer_count());
  }
  try {
    if (j.is_object()) {
      const auto& b = j.at("bbox");
      p.document.set_bbox({b.at(0).get<int>(), b.at(1).get<int>(), b.at(2).get<int>(), b.at(3).get<int>()});
      if (j.contains("settings")) p.settings = from_json(j["settings"].dump(), name + ": strata/project.json settings");
      p.template_name = j.value("template", "");
      for (const auto& e : j.value("staging", json::array())) {
        const std::string entry = e.at("image").get<std::string>();
        auto f = s.strata_files.find(entry);
        if (f == s.strata_files.end()) corrupt(name, "staged image " + entry + " is missing");
        p.staging.push_back({decode_image(f->second, name + ": " + entry), from_json(e.at("info").dump(), name + ": " + entry)});
      }
      const json gen = j.value("layer_generation", json::object());
      if (!gen.is_object()) corrupt(name, "layer_generation is not an object");
      for (const auto& [key, info] : gen.items()) {
        const std::uint32_t id = layer_id_key(key);
        if (id == 0 || !p.document.contains(doc::LayerId{id})) continue;  // no such layer: ignored
        p.layer_generation[id] = from_json(info.dump(), name + ": strata/project.json layer_generation " + key);
      }
    } else {
      const doc::Rect whole{0, 0, s.width, s.height};
      try {
        doc::validate_bbox(whole);
        p.document.set_bbox(whole);
      } catch (const Error&) {
        // Not a valid bbox size: keep the default one at the origin.
      }
    }
  } catch (const json::exception& e) {
    corrupt(name, e.what());
  } catch (const Error& e) {
    if (e.code() == ErrorCode::CorruptFile) throw;
    corrupt(name, e.what());
  }
  return p;
}

void save_project(const std::filesystem::path& path, const Project& project) { write_ora(path, to_ora(project)); }

Project load_project(const std::filesystem::path& path, const ReadLimits& limits) {
  ReadLimits l = limits;
  l.load_merged = false;  // the document is rebuilt from its layers; the composite is for other programs
  l.layers_as_tiles = true;  // decoded straight into tiles that become the layers' own
  return from_ora(read_ora(path, l), path.filename().string());
}

}  // namespace strata::io
