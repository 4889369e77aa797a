// strata-bench-canvas — the canvas figures of docs/PERFORMANCE.md, offscreen Qt:
//   * a replayed pan and zoom over 20 layers of 2048² in a 1280×800 view: frame time p50/p95
//     (each frame a synchronous render of the whole view with QWidget::grab; the first frame, which
//     fills the tile cache, reported apart);
//   * brush dabs on a 4096² canvas (a 4096² layer and a mask): time per dab from the pointer event
//     to the repainted screen area, including the command and the tile re-render;
//   * opening a 20-layer 4096² project (load + first frame);
//   * memory with 20 layers of 2048² (document + tile cache) against their raw pixel size.
//   QT_QPA_PLATFORM=offscreen strata-bench-canvas [--frames 120] [--dabs 100] [--skip-open]
#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_support.h"
#include "canvas_view.h"
#include "document_controller.h"
#include "strata/doc/commands.h"
#include "strata/io/project.h"
#include "tool_controller.h"

using namespace strata;

namespace {



doc::Image8 layer_pixels(int size, int i) {
  doc::Image8 im(size, size, 4);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      auto* p = &im.pixels[(static_cast<std::size_t>(y) * size + x) * 4];
      p[0] = static_cast<std::uint8_t>((x / 8 + i * 13) & 255);
      p[1] = static_cast<std::uint8_t>((y / 8 + i * 29) & 255);
      p[2] = static_cast<std::uint8_t>((i * 40) & 255);
      p[3] = (x / 256 + y / 256 + i) % 3 == 0 ? 255 : 160;
    }
  }
  return im;
}

io::Project make_project(int layers, int size) {
  io::Project p;
  doc::History h(p.document);
  for (int i = 0; i < layers; ++i) h.push(doc::AddLayer::raster("layer " + std::to_string(i), layer_pixels(size, i), i * 24, i * 16));
  h.push(doc::AddLayer::mask("mask"));
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
  QApplication app(argc, argv);
  int frames = 120, dabs = 100;
  bool skip_open = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--frames" && i + 1 < argc) frames = std::atoi(argv[++i]);
    else if (a == "--dabs" && i + 1 < argc) dabs = std::atoi(argv[++i]);
    else if (a == "--skip-open") skip_open = true;
  }
  const double base = bench::rss_mib();
  {
    ui::DocumentController document;
    ui::ToolController tools(&document);
    document.reset(make_project(20, 2048));
    ui::CanvasView view(&document, &tools);
    view.setFrameBudget(6'000'000);  // as on a screen (offscreen defaults to complete frames)
    view.resize(1280, 800);
    view.show();
    view.setView(QPointF(0, 0), 0.5);
    QElapsedTimer t;
    t.start();
    (void)view.grab();
    const double first = static_cast<double>(t.nsecsElapsed()) / 1e6;
    std::vector<double> pan, zoom;
    for (int f = 0; f < frames; ++f) {  // pan right and down, 12 device px per frame
      view.setView(QPointF(f * 24.0, f * 12.0), 0.5);
      t.restart();
      (void)view.grab();
      pan.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    for (int f = 0; f < frames; ++f) {  // zoom out and back in about the centre
      const double z = 0.5 * std::pow(0.98, f < frames / 2 ? f : frames - f);
      view.setZoom(z, QPointF(640, 400));
      t.restart();
      (void)view.grab();
      zoom.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    const double pixels_mib = 20.0 * 2048 * 2048 * 4 / (1024.0 * 1024.0);
    std::printf("view      20 layers of 2048², 1280x800: first frame %.1f ms; pan p50 %.1f ms p95 %.1f ms; "
                "zoom p50 %.1f ms p95 %.1f ms (%d frames each)\n",
                first, bench::percentile(pan, 0.5), bench::percentile(pan, 0.95), bench::percentile(zoom, 0.5), bench::percentile(zoom, 0.95), frames);
    std::printf("memory    %.0f MiB over a base of %.0f MiB for %.0f MiB of layer pixels: %.2f x\n",
                bench::rss_mib() - base, base, pixels_mib, (bench::rss_mib() - base) / pixels_mib);
  }
  {
    ui::DocumentController document;
    ui::ToolController tools(&document);
    io::Project p;
    doc::History h(p.document);
    h.push(doc::AddLayer::raster("big", layer_pixels(4096, 1), 0, 0));
    const auto mask = h.push(doc::AddLayer::mask("mask")).id();
    document.reset(std::move(p));
    document.setCurrentLayer(mask);
    ui::CanvasView view(&document, &tools);
    view.resize(1280, 800);
    view.show();
    view.setView(QPointF(1000, 1000), 1.0);
    (void)view.grab();
    tools.setTool(ui::ToolKind::Brush);
    tools.setBrushSize(48);
    std::vector<double> dab;
    QElapsedTimer t;
    for (int i = 0; i < dabs; ++i) {
      doc::PointerEvent e;
      e.x = 1100 + (i * 37) % 1000;
      e.y = 1100 + (i * 53) % 600;
      t.start();
      tools.press(e);
      tools.release(e);
      QApplication::processEvents();  // the controller's change signal → tile invalidation → update()
      (void)view.grab();
      dab.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::printf("dab       48 px brush on a 4096² canvas: p50 %.2f ms p95 %.2f ms (%d dabs, command + re-render + repaint)\n",
                bench::percentile(dab, 0.5), bench::percentile(dab, 0.95), dabs);
  }
  if (!skip_open) {
    const auto path = std::filesystem::temp_directory_path() / "strata-bench-canvas.ora";
    io::save_project(path, make_project(20, 4096));
    ui::DocumentController document;
    ui::ToolController tools(&document);
    ui::CanvasView view(&document, &tools);
    view.resize(1280, 800);
    view.show();
    QElapsedTimer t;
    t.start();
    document.reset(io::load_project(path));
    (void)view.grab();
    std::printf("open      20 layers of 4096² (.ora %.0f MiB): load + first frame %.2f s\n",
                std::filesystem::file_size(path) / (1024.0 * 1024.0), static_cast<double>(t.nsecsElapsed()) / 1e9);
    std::filesystem::remove(path);
  }
  return 0;
}
