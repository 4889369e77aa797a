// image_tool — tiny image helper for the CLI end-to-end script (tests/diffusion/cli_generate.sh):
//   image_tool halves OUT.png W H LEFT RIGHT [alpha]   grey halves; with "alpha": an RGB pattern on
//                                                      the left (opaque), fully transparent right
//   image_tool sky OUT.png W H                        a smooth blue sky (30,78,214 ± a gentle
//                                                      gradient) on the left, transparent right
//   image_tool seam IMG.png INIT.png                   the seam measure (doc::seam_difference):
//                                                      mean RGB of IMG 4 px into the generated side
//                                                      minus 4 px into the kept side, where INIT's
//                                                      opaque pixels are kept (--strength 0)
//   image_tool same-left A.png B.png                   exit 0 and "left half equal" when the RGB of
//                                                      the left halves is bit-identical
//   image_tool project OUT.ora IMG.png                 a project: IMG as a raster layer of strength 0,
//                                                      a full mask over its right half, bbox = IMG
//   image_tool check-project P.ora IMG.png N           P has N+2 layers, the top one a result
//                                                      "… (seed)"; prints whether its left half
//                                                      equals IMG's
#include <cstdio>
#include <cstdlib>
#include <string>

#include <cmath>

#include "strata/doc/color_match.h"
#include "strata/doc/commands.h"
#include "strata/io/image_codec.h"
#include "strata/io/project.h"

using strata::doc::Image8;

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  try {
    if (cmd == "halves" && argc >= 7) {
      const int w = std::atoi(argv[3]), h = std::atoi(argv[4]);
      const int left = std::atoi(argv[5]), right = std::atoi(argv[6]);
      const bool alpha = argc > 7 && std::string(argv[7]) == "alpha";
      Image8 img(w, h, alpha ? 4 : 1);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          if (alpha) {
            const bool l = x < w / 2;
            img.at(x, y, 0) = static_cast<std::uint8_t>(l ? (x * 7 + y * 3) % 256 : 0);
            img.at(x, y, 1) = static_cast<std::uint8_t>(l ? (y * 5) % 256 : 0);
            img.at(x, y, 2) = static_cast<std::uint8_t>(l ? 160 : 0);
            img.at(x, y, 3) = static_cast<std::uint8_t>(l ? left : right);
          } else {
            img.at(x, y) = static_cast<std::uint8_t>(x < w / 2 ? left : right);
          }
        }
      }
      strata::io::write_png(argv[2], img);
      return 0;
    }
    if (cmd == "sky" && argc == 5) {
      const int w = std::atoi(argv[3]), h = std::atoi(argv[4]);
      Image8 img(w, h, 4, 0);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w / 2; ++x) {
          img.at(x, y, 0) = static_cast<std::uint8_t>(30 + y * 20 / h);
          img.at(x, y, 1) = static_cast<std::uint8_t>(78 + y * 30 / h);
          img.at(x, y, 2) = static_cast<std::uint8_t>(214 - y * 10 / h);
          img.at(x, y, 3) = 255;
        }
      }
      strata::io::write_png(argv[2], img);
      return 0;
    }
    if (cmd == "seam" && argc == 4) {
      const Image8 img = strata::io::read_image(argv[2]), init = strata::io::read_image(argv[3]);
      strata::doc::ImageF s(init.width, init.height, 1, 1.0f);
      for (int y = 0; y < init.height; ++y) {
        for (int x = 0; x < init.width; ++x) s.at(x, y) = init.at(x, y, init.channels - 1) == 255 ? 0.0f : 1.0f;
      }
      const auto d = strata::doc::seam_difference(img, s, 4);
      if (!d) {
        std::printf("no seam\n");
        return 1;
      }
      std::printf("seam difference RGB %+.1f %+.1f %+.1f, magnitude %.1f\n", (*d)[0], (*d)[1], (*d)[2],
                  std::sqrt((*d)[0] * (*d)[0] + (*d)[1] * (*d)[1] + (*d)[2] * (*d)[2]));
      return 0;
    }
    if (cmd == "project" && argc == 4) {
      const Image8 img = strata::io::read_image(argv[3]);
      strata::io::Project p;
      strata::doc::History h(p.document);
      const auto layer = h.push(strata::doc::AddLayer::raster("photo", img, 0, 0)).id();
      h.push(strata::doc::set_strength(layer, 0.0f));
      const auto mask = h.push(strata::doc::AddLayer::mask("inpaint")).id();
      h.push(strata::doc::fill_mask(p.document, mask, {img.width / 2, 0, img.width - img.width / 2, img.height}, 255));
      h.push(std::make_unique<strata::doc::SetBBox>(strata::doc::Rect{0, 0, img.width, img.height}));
      p.settings.prompt = "a cat";
      strata::io::save_project(argv[2], p);
      return 0;
    }
    if (cmd == "check-project" && argc == 5) {
      const Image8 img = strata::io::read_image(argv[3]);
      const auto p = strata::io::load_project(argv[2]);
      const auto& layers = p.document.layers();
      const std::size_t want = static_cast<std::size_t>(std::atoi(argv[4])) + 2;
      if (layers.size() != want) {
        std::printf("%zu layers, expected %zu\n", layers.size(), want);
        return 1;
      }
      const auto& top = layers.back();
      const Image8 px = p.document.read_region(top.id, {0, 0, img.width, img.height});
      int differing = 0;
      for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width / 2; ++x) {
          for (int c = 0; c < 3; ++c) differing += px.at(x, y, c) != img.at(x, y, img.channels < 3 ? 0 : c);
        }
      }
      std::printf("top layer \"%s\", left half %s\n", top.name.c_str(), differing ? "differs" : "equal");
      return top.name.find(" (") != std::string::npos ? 0 : 1;
    }
    if (cmd == "same-left" && argc == 4) {
      const Image8 a = strata::io::read_image(argv[2]), b = strata::io::read_image(argv[3]);
      if (a.width != b.width || a.height != b.height) {
        std::printf("sizes differ\n");
        return 1;
      }
      int differing = 0;
      for (int y = 0; y < a.height; ++y) {
        for (int x = 0; x < a.width / 2; ++x) {
          for (int c = 0; c < 3; ++c) differing += a.at(x, y, a.channels < 3 ? 0 : c) != b.at(x, y, b.channels < 3 ? 0 : c);
        }
      }
      if (differing == 0) {
        std::printf("left half equal\n");
        return 0;
      }
      std::printf("left half differs in %d values\n", differing);
      return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: image_tool halves OUT W H LEFT RIGHT [alpha] | sky OUT W H | seam IMG INIT | same-left A B | project OUT IMG | check-project P IMG N\n");
  return 2;
}
