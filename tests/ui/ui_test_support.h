// Helpers for the UI tests: temporary folders, synthetic input, test images.
#pragma once

#include <QPointF>
#include <QString>
#include <QWidget>
#include <filesystem>
#include <functional>

#include "strata/doc/document.h"

namespace strata::test {

std::filesystem::path uiTempDir(const std::string& name);  // fresh folder under the build dir
QString outputDir();                                        // the build folder of test_ui

// Sends a left-button press, moves and a release to `w` at widget positions.
void drag(QWidget* w, const QPointF& from, const QPointF& to, int steps = 8,
          Qt::KeyboardModifiers mods = Qt::NoModifier);
void writeTestPng(const std::filesystem::path& path, int w, int h, doc::Rgba8 color);
std::uint8_t coverageAt(const doc::Document& doc, doc::LayerId id, int x, int y);
// Runs the event loop until `done()` or the timeout; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 10000);
// dump() without next_id (undo never rolls it back).
std::string state(const doc::Document& doc);

}  // namespace strata::test
