// Shared fixtures of the UI tests: a main window on the fake generation service with a model
// loaded, and adding a layer through the controller.
#pragma once

#include <catch2/catch.hpp>

#include "document_controller.h"
#include "fake_generation_service.h"
#include "main_window.h"
#include "model_picker.h"
#include "prompt_edit.h"
#include "prompt_panel.h"
#include "strata/doc/commands.h"
#include "ui_test_support.h"

#include <QSpinBox>

namespace strata::test {

// Prompt "a red fox", 4 steps, the fake model loaded.
struct Fixture {
  FakeGenerationService* service = new FakeGenerationService;
  ui::MainWindow w{service};
  ui::DocumentController* c = w.document();
  ui::PromptPanel* panel = w.promptPanel();
  Fixture() {
    w.resize(1100, 760);
    w.show();
    panel->modelPicker()->loadModel(QStringLiteral("/models/fake.safetensors"));
    REQUIRE(waitUntil([&] { return service->hasModel(); }));
    panel->promptEdit()->setText(QStringLiteral("a red fox"));
    panel->stepsSpin()->setValue(4);
  }
};

// One undo step adding `prototype` on top; its id.
inline doc::LayerId addLayer(ui::DocumentController& c, doc::Layer prototype) {
  auto add = std::make_unique<doc::AddLayer>(std::move(prototype));
  doc::AddLayer* raw = add.get();
  REQUIRE(c.push(std::move(add)));
  return raw->id();
}

}  // namespace strata::test
