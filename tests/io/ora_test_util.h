// Helpers for the OpenRaster tests: hand-built archives and entry access (through strata_io's
// internal zip wrapper, so fixtures can be made broken on purpose).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "io_test_util.h"
#include "strata/io/image_codec.h"
#include "strata/io/openraster.h"
#include "zip_archive.h"

namespace strata::test {

struct ZipEntry {
  std::string name;
  ByteVec data;
  bool store = false;
};

inline ByteVec make_zip(const std::vector<ZipEntry>& entries) {
  io::detail::ZipWriter zip;
  for (const auto& e : entries) zip.add(e.name, e.data, e.store);
  return zip.finish();
}

// The entry's bytes; fails the test when it is missing.
inline ByteVec zip_entry(const ByteVec& archive, const std::string& name) {
  io::detail::ZipReader zip(archive, "test.ora");
  auto e = zip.find(name);
  if (!e) throw std::runtime_error("missing entry " + name);
  return zip.read(name, *e, 1ull << 30);
}

inline std::string as_text(const ByteVec& b) { return std::string(b.begin(), b.end()); }

// A minimal valid .ora: mimetype, the given stack.xml, and each (name, image) as a PNG entry.
inline ByteVec make_ora(const std::string& stack_xml, const std::vector<std::pair<std::string, doc::Image8>>& pngs = {},
                        const std::string& mimetype = "image/openraster") {
  std::vector<ZipEntry> entries{{"mimetype", bytes_of(mimetype), true}, {"stack.xml", bytes_of(stack_xml)}};
  for (const auto& [name, img] : pngs) entries.push_back({name, io::encode_png(img), true});
  return make_zip(entries);
}

// A layer of solid colour.
inline doc::Image8 solid_rgba(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b, std::uint8_t a) {
  doc::Image8 img(w, h, 4);
  for (std::size_t i = 0; i < img.pixels.size(); i += 4) {
    img.pixels[i] = r, img.pixels[i + 1] = g, img.pixels[i + 2] = b, img.pixels[i + 3] = a;
  }
  return img;
}

}  // namespace strata::test
