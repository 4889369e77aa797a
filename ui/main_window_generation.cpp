// MainWindow: the generation side — prompt panel, templates, staging bar, gallery, settings.
#include <QDockWidget>

#include "action_registry.h"
#include "app_settings.h"
#include "canvas_view.h"
#include "document_controller.h"
#include "gallery_panel.h"
#include "generation_controller.h"
#include "main_window.h"
#include "message_banner.h"
#include "model_bbox.h"
#include "model_picker.h"
#include "project_files.h"
#include "prompt_edit.h"
#include "prompt_panel.h"
#include "settings_dialog.h"
#include "staging_bar.h"
#include "template_dialog.h"
#include "template_store.h"

namespace strata::ui {

void MainWindow::createGeneration() {
  m_templates = new TemplateStore(this);
  m_generation = new GenerationController(m_document, m_service, this);
  m_prompt = new PromptPanel(m_document, m_generation, m_templates);
  m_stagingBar = new StagingBar(m_generation);
  m_gallery = new GalleryPanel(m_generation, m_document);

  connect(m_generation, &GenerationController::overlayChanged, this,
          [this] { m_canvas->setOverlayImage(m_generation->overlayImage(), m_generation->overlayRect()); });
  connect(m_gallery, &GalleryPanel::recallRequested, this, [this](const io::GenerationInfo& info) {
    m_prompt->recall(info);
    m_document->reportInfo(tr("Parameters recalled"));
  });
  connect(m_prompt, &PromptPanel::templatesRequested, this, [this] {
    TemplateDialog* d = templateDialog();
    d->select(m_prompt->templateName());
    d->show();
    d->raise();
  });
  if (m_service) {
    auto* bbox = new ModelBBox(m_document, this);
    bbox->setObjectName(QStringLiteral("modelBBox"));
    connect(m_service, &GenerationService::modelLoaded, bbox, [bbox](const ModelDescription& d) { bbox->modelLoaded(d.nativeSize); });
  }
  connect(m_prompt->modelPicker(), &ModelPicker::errorOccurred, this,
          [this](const QString& message) { m_document->reportError(message, ErrorTopic::Model); });
}

void MainWindow::createGenerationActions() {
  ActionRegistry& a = *m_actions;
  const QString gen = tr("Generation");
  QAction* invoke = a.add(QStringLiteral("gen.invoke"), tr("Invoke"), QKeySequence(QStringLiteral("Ctrl+Return")), gen);
  invoke->setEnabled(m_service != nullptr);
  if (!m_service) invoke->setToolTip(tr("Generation is not available in this build"));
  connect(invoke, &QAction::triggered, m_prompt, &PromptPanel::invoke);
  connect(a.add(QStringLiteral("gen.cancel"), tr("Cancel generation"), QKeySequence(QStringLiteral("Shift+X")), gen),
          &QAction::triggered, m_generation, &GenerationController::cancel);
  connect(a.add(QStringLiteral("gen.clearQueue"), tr("Clear queue"), {}, gen), &QAction::triggered, m_generation,
          &GenerationController::clearQueue);
  connect(a.add(QStringLiteral("gen.accept"), tr("Accept staged image"), QKeySequence(QStringLiteral("Ctrl+Shift+Return")), gen),
          &QAction::triggered, m_generation, &GenerationController::accept);
  connect(a.add(QStringLiteral("gen.next"), tr("Next staged image"), QKeySequence(QStringLiteral("Alt+Right")), gen),
          &QAction::triggered, m_generation, &GenerationController::next);
  connect(a.add(QStringLiteral("gen.previous"), tr("Previous staged image"), QKeySequence(QStringLiteral("Alt+Left")), gen),
          &QAction::triggered, m_generation, &GenerationController::previous);
  connect(a.add(QStringLiteral("gen.discard"), tr("Discard staged image"), {}, gen), &QAction::triggered, m_generation,
          &GenerationController::discard);
  connect(a.add(QStringLiteral("gen.templates"), tr("Prompt templates…"), {}, gen), &QAction::triggered, m_prompt,
          &PromptPanel::templatesRequested);
  connect(a.add(QStringLiteral("app.settings"), tr("Settings…"), QKeySequence(QStringLiteral("Ctrl+,")), tr("Edit")),
          &QAction::triggered, this, &MainWindow::showSettings);
}

TemplateDialog* MainWindow::templateDialog() {
  if (!m_templateDialog) {
    m_templateDialog = new TemplateDialog(
        m_templates, [this] { return std::pair(m_prompt->promptEdit()->text(), m_prompt->negativeEdit()->text()); }, this);
    connect(m_templateDialog, &TemplateDialog::templateChosen, m_prompt, &PromptPanel::setTemplateName);
    connect(m_templateDialog, &TemplateDialog::errorOccurred, m_document,
            [this](const QString& message) { m_document->reportError(message); });
  }
  return m_templateDialog;
}

void MainWindow::showSettings() {
  if (!m_settingsDialog) {
    m_settingsDialog = new SettingsDialog(this);
    connect(m_settingsDialog, &SettingsDialog::applied, this, [this](const AppSettings& s) {
      m_files->setAutosaveInterval(s.autosaveMinutes * 60 * 1000);
      ModelPicker* picker = m_prompt->modelPicker();
      picker->setEngineOptions(s.engine);
      picker->scanFolder(s.modelsFolder);
      if (!picker->currentPath().isEmpty()) picker->loadModel(picker->currentPath());  // engine settings apply
    });
  }
  m_settingsDialog->setValues(AppSettings::load());
  m_settingsDialog->show();
  m_settingsDialog->raise();
}

void MainWindow::startGeneration() {
  const AppSettings s = AppSettings::load();
  m_files->setAutosaveInterval(s.autosaveMinutes * 60 * 1000);
  ModelPicker* picker = m_prompt->modelPicker();
  picker->setEngineOptions(s.engine);
  picker->scanFolder(s.modelsFolder);
  // The last model used, else (first start, or it is gone or broken: a banner says so) the
  // embedded default model.
  picker->loadAtStart(s.lastModel);
}

}  // namespace strata::ui
