#include "ui_test_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMouseEvent>
#include <QTimer>

#include "strata/doc/dump.h"
#include "strata/io/image_codec.h"

namespace strata::test {

std::filesystem::path uiTempDir(const std::string& name) {
  auto dir = std::filesystem::path(STRATA_UI_TEST_OUTPUT_DIR) / "test-tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

QString outputDir() { return QStringLiteral(STRATA_UI_TEST_OUTPUT_DIR); }

void drag(QWidget* w, const QPointF& from, const QPointF& to, int steps, Qt::KeyboardModifiers mods) {
  auto send = [&](QEvent::Type type, const QPointF& p, Qt::MouseButtons buttons) {
    QMouseEvent e(type, p, w->mapToGlobal(p), Qt::LeftButton, buttons, mods);
    QApplication::sendEvent(w, &e);
  };
  send(QEvent::MouseButtonPress, from, Qt::LeftButton);
  for (int i = 1; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    QMouseEvent e(QEvent::MouseMove, from + (to - from) * t, w->mapToGlobal(from + (to - from) * t), Qt::NoButton,
                  Qt::LeftButton, mods);
    QApplication::sendEvent(w, &e);
  }
  send(QEvent::MouseButtonRelease, to, Qt::NoButton);
}

void writeTestPng(const std::filesystem::path& path, int w, int h, doc::Rgba8 c) {
  doc::Image8 img(w, h, 4);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      img.at(x, y, 0) = c.r;
      img.at(x, y, 1) = c.g;
      img.at(x, y, 2) = c.b;
      img.at(x, y, 3) = c.a;
    }
  }
  io::write_png(path, img);
}

std::uint8_t coverageAt(const doc::Document& doc, doc::LayerId id, int x, int y) {
  return doc.read_region(id, {x, y, 1, 1}).pixels[0];
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer clock;
  clock.start();
  while (!done() && clock.elapsed() < timeoutMs) {
    QEventLoop loop;
    QTimer::singleShot(2, &loop, &QEventLoop::quit);
    loop.exec();
  }
  return done();
}

std::string state(const doc::Document& doc) {
  std::string s = doc::dump(doc);
  const auto a = s.find("next_id");
  return s.erase(a, s.find('\n', a) - a + 1);
}

}  // namespace strata::test
