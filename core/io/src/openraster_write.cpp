// Writing OpenRaster files: validation, stack.xml, layer PNGs, merged image and thumbnail.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "detail.h"
#include "openraster_detail.h"
#include "parallel.h"
#include "png_tiles.h"
#include "strata/io/openraster.h"
#include "xml_lite.h"
#include "zip_archive.h"

namespace strata::io {

namespace {

[[noreturn]] void invalid(const std::string& what) {
  throw doc::Error(doc::ErrorCode::InvalidArgument, "OpenRaster: " + what);
}

std::string layer_label(std::size_t i, const OraLayer& layer) {
  return "layer " + std::to_string(i) + " (\"" + layer.name + "\")";
}

void validate(const OraStack& stack) {
  if (stack.width <= 0 || stack.height <= 0) {
    invalid("canvas size must be positive, found " + std::to_string(stack.width) + "x" + std::to_string(stack.height));
  }
  const ReadLimits defaults;  // never write what read_ora would refuse with its default limits
  const auto canvas_pixels = static_cast<std::uint64_t>(stack.width) * static_cast<std::uint64_t>(stack.height);
  if (stack.width > defaults.max_side || stack.height > defaults.max_side || canvas_pixels > defaults.max_canvas_pixels) {
    throw doc::Error(doc::ErrorCode::TooLarge, "OpenRaster: canvas " + std::to_string(stack.width) + "x" +
                                                   std::to_string(stack.height) + " is larger than read_ora accepts");
  }
  for (std::size_t i = 0; i < stack.layers.size(); ++i) {
    const OraLayer& l = stack.layers[i];
    if (!std::isfinite(l.opacity)) invalid(layer_label(i, l) + ": opacity is not a number");
    if (!l.pixels.empty() && l.pixels.channels != 1 && l.pixels.channels != 3 && l.pixels.channels != 4) {
      invalid(layer_label(i, l) + ": expected 1, 3 or 4 channels, found " + std::to_string(l.pixels.channels));
    }
    if (l.tiled) {
      const doc::Rect& r = l.tiled->rect;
      if (r.width > defaults.max_side || r.height > defaults.max_side ||
          static_cast<std::uint64_t>(r.area()) > defaults.max_layer_pixels) {
        throw doc::Error(doc::ErrorCode::TooLarge, "OpenRaster: " + layer_label(i, l) + " is larger than read_ora accepts");
      }
    }
    const doc::Image8& p = l.pixels;
    if (!p.empty() && (p.width <= 0 || p.height <= 0 ||
                       p.pixels.size() != static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * static_cast<std::size_t>(p.channels))) {
      invalid(layer_label(i, l) + ": pixel buffer does not match its size");
    }
    if (p.width > defaults.max_side || p.height > defaults.max_side ||
        static_cast<std::uint64_t>(p.width) * static_cast<std::uint64_t>(p.height) > defaults.max_layer_pixels) {
      throw doc::Error(doc::ErrorCode::TooLarge, "OpenRaster: " + layer_label(i, l) + " is larger than read_ora accepts");
    }
    for (const auto& [key, value] : l.attributes) {
      if (!detail::is_extra_attribute_name(key)) {
        invalid(layer_label(i, l) + ": attribute name \"" + key +
                "\" must be an XML name without a prefix or with the strata: prefix, and not a standard one");
      }
    }
  }
  const doc::Image8& m = stack.merged;
  if (!m.empty() && (m.width != stack.width || m.height != stack.height || (m.channels != 3 && m.channels != 4))) {
    invalid("merged image must be " + std::to_string(stack.width) + "x" + std::to_string(stack.height) +
            " RGB or RGBA, found " + std::to_string(m.width) + "x" + std::to_string(m.height) + "x" + std::to_string(m.channels));
  }
}

std::string format_float(float v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string stack_xml(const OraStack& stack) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<image version=\"0.0.5\" w=\"" + std::to_string(stack.width) + "\" h=\"" + std::to_string(stack.height) +
       "\" xmlns:strata=\"" + std::string(detail::kStrataNamespace) + "\">\n <stack>\n";
  for (std::size_t i = 0; i < stack.layers.size(); ++i) {
    const OraLayer& l = stack.layers[i];
    auto attr = [&x](std::string_view key, std::string_view value) {
      x += ' ';
      x += key;
      x += "=\"" + detail::xml_escape(value) + '"';
    };
    x += "  <layer";
    attr("name", l.name);
    attr("src", detail::layer_entry(i));
    attr("x", std::to_string(l.x));
    attr("y", std::to_string(l.y));
    attr("opacity", format_float(std::clamp(l.opacity, 0.0f, 1.0f)));
    attr("visibility", l.visible ? "visible" : "hidden");
    attr("composite-op", l.composite_op.empty() ? "svg:src-over" : l.composite_op);
    attr("edit-locked", l.locked ? "true" : "false");
    for (const auto& [key, value] : l.attributes) attr(key, value);
    x += "/>\n";
  }
  x += " </stack>\n</image>\n";
  return x;
}

doc::Image8 to_rgba(const doc::Image8& img) {
  if (img.empty()) {
    doc::Image8 clear(1, 1, 4);  // PNG cannot be empty: one transparent pixel
    return clear;
  }
  if (img.channels == 4) return img;
  doc::Image8 out(img.width, img.height, 4);
  for (int y = 0; y < img.height; ++y) {
    for (int x = 0; x < img.width; ++x) {
      for (int k = 0; k < 3; ++k) out.at(x, y, k) = img.at(x, y, img.channels == 1 ? 0 : k);
      out.at(x, y, 3) = 255;
    }
  }
  return out;
}

// A layer's pixels as RGBA (a copy of the tiles' region for tiled layers).
doc::Image8 layer_rgba(const OraLayer& l) {
  if (!l.tiled) return l.pixels.channels == 4 ? l.pixels : to_rgba(l.pixels);
  if (l.tiled->rect.empty()) return {};
  return detail::tiles_to_rgba(l.tiled->tiles, l.tiled->rect, l.tiled->tint);
}

// The layer's PNG: from the tiles when tiled, else from `pixels` (a 1×1 transparent PNG when empty).
std::vector<std::uint8_t> layer_png(const OraLayer& l) {
  if (l.tiled && !l.tiled->rect.empty()) return detail::encode_png_from_tiles(l.tiled->tiles, l.tiled->rect, l.tiled->tint);
  if (l.tiled || l.pixels.empty() || l.pixels.channels != 4) {
    return encode_png(to_rgba(l.tiled ? doc::Image8() : l.pixels), {}, PngCompression::Fast);
  }
  return encode_png(l.pixels, {}, PngCompression::Fast);  // no copy of the pixels
}

// Premultiplied area downscale to at most 256 px on the longer side (8-bit premultiplied: a
// thumbnail needs no more, and the canvas is never converted to float).
doc::Image8 thumbnail(const doc::Image8& merged) {
  const int longest = std::max(merged.width, merged.height);
  if (longest <= 256) return merged;
  const double scale = 256.0 / longest;
  const cv::Size size(std::max(1, static_cast<int>(std::lround(merged.width * scale))),
                      std::max(1, static_cast<int>(std::lround(merged.height * scale))));
  cv::Mat premul(merged.height, merged.width, CV_8UC4);
  for (int y = 0; y < merged.height; ++y) {
    const std::uint8_t* p = &merged.pixels[static_cast<std::size_t>(y) * merged.width * 4];
    std::uint8_t* q = premul.ptr<std::uint8_t>(y);
    for (int x = 0; x < merged.width * 4; x += 4) {
      const unsigned a = p[x + 3];
      for (int k = 0; k < 3; ++k) q[x + k] = static_cast<std::uint8_t>((p[x + k] * a + 127) / 255);
      q[x + 3] = static_cast<std::uint8_t>(a);
    }
  }
  cv::Mat small;
  cv::resize(premul, small, size, 0, 0, cv::INTER_AREA);
  doc::Image8 out(size.width, size.height, 4);
  for (int y = 0; y < size.height; ++y) {
    const std::uint8_t* q = small.ptr<std::uint8_t>(y);
    std::uint8_t* o = &out.pixels[static_cast<std::size_t>(y) * size.width * 4];
    for (int x = 0; x < size.width * 4; x += 4) {
      const unsigned a = q[x + 3];
      for (int k = 0; k < 3; ++k) o[x + k] = a == 0 ? 0 : static_cast<std::uint8_t>(std::min(255u, (q[x + k] * 255u + a / 2) / a));
      o[x + 3] = static_cast<std::uint8_t>(a);
    }
  }
  return out;
}

}  // namespace

namespace detail {

bool is_extra_attribute_name(std::string_view key) {
  if (!is_xml_name(key) || is_standard_layer_attribute(key) || key == "xmlns") return false;
  const auto colon = key.find(':');
  if (colon == std::string_view::npos) return true;
  return key.substr(0, colon + 1) == "strata:" && key.size() > colon + 1 && key.find(':', colon + 1) == std::string_view::npos;
}

// src-over in straight 8-bit RGBA, bottom layer first; hidden layers skipped.
doc::Image8 composite_layers(const OraStack& stack) {
  doc::Image8 canvas(stack.width, stack.height, 4);
  for (auto it = stack.layers.rbegin(); it != stack.layers.rend(); ++it) {
    const OraLayer& l = *it;
    if (!l.visible || l.opacity <= 0.0f) continue;
    const doc::Image8 src = layer_rgba(l);
    if (src.empty()) continue;
    const float opacity = std::clamp(l.opacity, 0.0f, 1.0f) / 255.0f;
    const long x0 = std::max(0L, static_cast<long>(l.x)), y0 = std::max(0L, static_cast<long>(l.y));
    const long x1 = std::min<long>(stack.width, static_cast<long>(l.x) + src.width);
    const long y1 = std::min<long>(stack.height, static_cast<long>(l.y) + src.height);
    for (long y = y0; y < y1; ++y) {
      for (long x = x0; x < x1; ++x) {
        const std::uint8_t* s = &src.at(static_cast<int>(x - l.x), static_cast<int>(y - l.y));
        std::uint8_t* d = &canvas.at(static_cast<int>(x), static_cast<int>(y));
        const float sa = s[3] * opacity, da = d[3] / 255.0f;
        const float oa = sa + da * (1.0f - sa);
        if (oa <= 0.0f) continue;
        for (int k = 0; k < 3; ++k) {
          d[k] = static_cast<std::uint8_t>(std::lround((s[k] * sa + d[k] * da * (1.0f - sa)) / oa));
        }
        d[3] = static_cast<std::uint8_t>(std::lround(oa * 255.0f));
      }
    }
  }
  return canvas;
}

}  // namespace detail

std::vector<std::uint8_t> encode_ora(const OraStack& stack) {
  validate(stack);
  try {
    detail::ZipWriter zip;
    const std::string mime(detail::kOraMimetype);
    zip.add("mimetype", std::vector<std::uint8_t>(mime.begin(), mime.end()), true);
    const std::string xml = stack_xml(stack);
    zip.add("stack.xml", std::vector<std::uint8_t>(xml.begin(), xml.end()), false);
    // Layers, the merged image and the thumbnail are encoded in parallel with fast PNG settings (a
    // project is saved often; GIMP and Krita re-compress on their own saves). Tiled layers are
    // encoded straight from their tiles.
    doc::Image8 own_merged;
    if (stack.merged.empty()) {
      own_merged = detail::composite_layers(stack);
    } else if (stack.merged.channels != 4) {
      own_merged = to_rgba(stack.merged);
    }
    const doc::Image8& merged = own_merged.empty() ? stack.merged : own_merged;
    const std::size_t n = stack.layers.size();
    std::vector<std::vector<std::uint8_t>> encoded(n + 2);
    detail::parallel_for(n + 2, [&](std::size_t i) {
      if (i < n) {
        encoded[i] = layer_png(stack.layers[i]);
      } else if (i == n) {
        const std::size_t stride = static_cast<std::size_t>(merged.width) * 4;
        encoded[i] = detail::encode_png_rows(merged.width, merged.height, [&](int y, std::uint8_t* out) {
          std::memcpy(out, &merged.pixels[static_cast<std::size_t>(y) * stride], stride);
        });
      } else {
        encoded[i] = encode_png(thumbnail(merged));
      }
    });
    for (std::size_t i = 0; i < n; ++i) zip.add(detail::layer_entry(i), std::move(encoded[i]), true);
    zip.add("mergedimage.png", std::move(encoded[n]), true);
    zip.add("Thumbnails/thumbnail.png", std::move(encoded[n + 1]), true);
    if (!stack.strata_json.empty()) {
      zip.add(std::string(detail::kStrataJsonEntry),
              std::vector<std::uint8_t>(stack.strata_json.begin(), stack.strata_json.end()), false);
    }
    for (const auto& [entry_name, data] : stack.strata_files) {
      if (entry_name.rfind("strata/", 0) != 0 || entry_name == detail::kStrataJsonEntry || entry_name.size() <= 7) {
        throw doc::Error(doc::ErrorCode::InvalidArgument, "OpenRaster: extra entry " + entry_name + " must be a file under strata/");
      }
      zip.add(entry_name, data, false);
    }
    return zip.finish();
  } catch (const cv::Exception& e) {
    throw doc::Error(doc::ErrorCode::Runtime, std::string("OpenRaster: OpenCV failed: ") + e.what());
  }
}

void write_ora(const std::filesystem::path& path, const OraStack& stack) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = encode_ora(stack);
  } catch (const doc::Error& e) {
    throw doc::Error(e.code(), path.string() + ": " + e.what());
  }
  write_file_atomic(path, bytes);
}

}  // namespace strata::io
