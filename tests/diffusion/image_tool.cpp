// image_tool — tiny image helper for the CLI end-to-end script (tests/diffusion/cli_generate.sh):
//   image_tool halves OUT.png W H LEFT RIGHT [alpha]   grey halves; with "alpha": an RGB pattern on
//                                                      the left (opaque), fully transparent right
//   image_tool same-left A.png B.png                   exit 0 and "left half equal" when the RGB of
//                                                      the left halves is bit-identical
#include <cstdio>
#include <cstdlib>
#include <string>

#include "strata/io/image_codec.h"

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
  std::fprintf(stderr, "usage: image_tool halves OUT W H LEFT RIGHT [alpha] | same-left A B\n");
  return 2;
}
