// strata-bench-doc — document-side figures of docs/PERFORMANCE.md (torch-free):
//   compose of L layers of S² pixels into a B² bbox (median of runs), and saving / opening an
//   L-layer project of P² layers, with peak RSS against the layers' pixel size.
//   strata-bench-doc [--layers 20] [--layer-size 2048] [--bbox 1024] [--project-size 4096] [--runs 5] [--dir /tmp]
#include <algorithm>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_support.h"
#include "strata/doc/commands.h"
#include "strata/doc/compose.h"
#include "strata/io/project.h"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }



// A layer with smooth content (gradients plus a soft disc) and a transparent border, offset per layer.
strata::doc::Image8 layer_pixels(int size, int i) {
  strata::doc::Image8 im(size, size, 4);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      auto* p = &im.pixels[(static_cast<std::size_t>(y) * size + x) * 4];
      p[0] = static_cast<std::uint8_t>((x * 255 / size + i * 13) & 255);
      p[1] = static_cast<std::uint8_t>((y * 255 / size + i * 29) & 255);
      p[2] = static_cast<std::uint8_t>(((x + y) * 127 / size + i * 7) & 255);
      const int dx = x - size / 2, dy = y - size / 2;
      const bool inside = dx * dx + dy * dy < size * size / 5;
      p[3] = inside ? 255 : (x % 64 < 32 ? 128 : 0);
    }
  }
  return im;
}

strata::doc::Document make_document(int layers, int size) {
  strata::doc::Document d;
  strata::doc::History h(d);
  for (int i = 0; i < layers; ++i) {
    const auto id = h.push(strata::doc::AddLayer::raster("layer " + std::to_string(i), layer_pixels(size, i), i * 16 - size / 4, i * 8 - size / 4)).id();
    h.push(strata::doc::set_strength(id, 0.05f * static_cast<float>(i % 20)));
  }
  const auto m = h.push(strata::doc::AddLayer::mask("mask")).id();
  h.push(strata::doc::fill_mask(d, m, {100, 100, 300, 200}, 200));
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  int layers = 20, layer_size = 2048, bbox = 1024, project_size = 4096, runs = 5;
  std::filesystem::path dir = std::filesystem::temp_directory_path();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (k == "--layers") layers = v;
    else if (k == "--layer-size") layer_size = v;
    else if (k == "--bbox") bbox = v;
    else if (k == "--project-size") project_size = v;
    else if (k == "--runs") runs = v;
    else if (k == "--dir") dir = argv[i + 1];
  }
  {
    auto d = make_document(layers, layer_size);
    d.set_bbox({64, 64, bbox, bbox});
    std::vector<double> t;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      const auto c = strata::doc::compose(d);
      t.push_back(since(t0));
      if (c.rgba.width != bbox) return 1;
    }
    std::printf("compose   %d layers of %d² into a %d² bbox: median %.1f ms (%d runs)\n", layers, layer_size, bbox,
                1000 * strata::bench::median(t), runs);
  }
  {
    // Memory is measured per phase against the document's pixels: saving (the document alive) and
    // opening (the saved document dropped first), each as its peak RSS over the RSS before it.
    const double pixels_mib = static_cast<double>(layers) * project_size * project_size * 4 / (1024.0 * 1024.0);
    const auto path = dir / "strata-bench.ora";
    std::vector<double> save, open;
    double save_peak = 0, open_peak = 0, doc_mib = 0;
    const int layer_count = layers + 1;
    for (int r = 0; r < std::max(1, runs / 2); ++r) {
      {
        strata::io::Project p;
        p.document = make_document(layers, project_size);
        p.document.set_bbox({0, 0, 1024, 1024});
        std::size_t tile_bytes = 0;
        for (const auto& l : p.document.layers()) tile_bytes += l.pixels.byte_size();
        doc_mib = static_cast<double>(tile_bytes) / (1024.0 * 1024.0);
        const double before = strata::bench::rss_mib();
        strata::bench::reset_peak_rss();
        auto t0 = Clock::now();
        strata::io::save_project(path, p);
        save.push_back(since(t0));
        save_peak = std::max(save_peak, strata::bench::peak_rss_mib() - before);
      }
      malloc_trim(0);  // hand the saved document's freed pages back, so RSS counts only what opening adds
      const double before = strata::bench::rss_mib();
      strata::bench::reset_peak_rss();
      const auto t0 = Clock::now();
      const auto q = strata::io::load_project(path);
      open.push_back(since(t0));
      open_peak = std::max(open_peak, strata::bench::peak_rss_mib() - before);
      if (q.document.layer_count() != layer_count) return 1;
    }
    std::printf("project   %d layers of %d² (%.0f MiB of pixels, %.0f MiB of them in stored tiles, file %.0f MiB): save median %.2f s, open median %.2f s\n",
                layers, project_size, pixels_mib, doc_mib, std::filesystem::file_size(path) / (1024.0 * 1024.0),
                strata::bench::median(save), strata::bench::median(open));
    std::printf("memory    saving: the document + %.0f MiB (%.2f × the tiles); opening: %.0f MiB in all (%.2f × the tiles)\n",
                save_peak, (doc_mib + save_peak) / doc_mib, open_peak, open_peak / doc_mib);
    std::filesystem::remove(path);
  }
  return 0;
}
