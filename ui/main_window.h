// main_window.h — the Strata window. It only wires panels together: the canvas view in the centre
// (under the message banner), the Layers, History and Generation docks (the last reserved for the
// generation panel of a later issue), the tool bar, menus and a status bar with zoom, cursor
// position in canvas pixels and bbox size. Window geometry and dock layout are restored from
// QSettings. The objects it creates are reachable for tests. UI thread only.
#pragma once

#include <QMainWindow>

class QLabel;
class QMenu;
class QDockWidget;
class QUndoView;

namespace strata::ui {

class ActionRegistry;
class CanvasView;
class GalleryPanel;
class GenerationController;
class GenerationService;
class PromptPanel;
class SettingsDialog;
class StagingBar;
class TemplateDialog;
class TemplateStore;
class DocumentController;
class ImageImporter;
class LayersPanel;
class MessageBanner;
class ProjectFiles;
class ShortcutsDialog;
class ToolController;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // service: the generation backend (a WorkerGenerationService in the app, a fake in tests); the
  // window takes ownership when it has no parent. nullptr: generation is unavailable.
  explicit MainWindow(GenerationService* service = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  DocumentController* document() const { return m_document; }
  ToolController* tools() const { return m_tools; }
  CanvasView* canvas() const { return m_canvas; }
  LayersPanel* layersPanel() const { return m_layers; }
  ProjectFiles* files() const { return m_files; }
  ImageImporter* importer() const { return m_importer; }
  MessageBanner* banner() const { return m_banner; }
  ActionRegistry* actions() const { return m_actions; }
  QDockWidget* generationDock() const { return m_generationDock; }
  GenerationController* generation() const { return m_generation; }
  PromptPanel* promptPanel() const { return m_prompt; }
  StagingBar* stagingBar() const { return m_stagingBar; }
  GalleryPanel* gallery() const { return m_gallery; }
  TemplateStore* templates() const { return m_templates; }
  TemplateDialog* templateDialog();  // created on first use
  void showSettings();

  // At start-up: apply the stored settings, scan the models folder and load the last model.
  void startGeneration();

  // At start-up: when the last session left an autosave, offer to restore it (banner).
  void offerAutosaveRestore();
  void paste();
  // File ▸ Import image as layer: each file becomes a raster layer at the bbox's top-left corner
  // (one undo step, as a drop); the dialog variant asks for the files first.
  int importImageLayers(const QStringList& paths);
  void importImageLayersWithDialog();
  void showShortcuts();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();  // main_window_actions.cpp
  void createMenus();    // main_window_actions.cpp
  void createDocks();
  void createGeneration();  // main_window_generation.cpp
  void createGenerationActions();  // main_window_generation.cpp
  void createStatusBar();
  void updateTitle();
  void updateRecentMenu();
  void transformCurrentLayer(double scaleX, double scaleY, bool flipH, bool flipV);
  void scaleCurrentLayerWithDialog();

  DocumentController* m_document;
  ToolController* m_tools;
  CanvasView* m_canvas;
  LayersPanel* m_layers = nullptr;
  ProjectFiles* m_files;
  ImageImporter* m_importer;
  MessageBanner* m_banner;
  ActionRegistry* m_actions;
  QDockWidget* m_generationDock = nullptr;
  GenerationService* m_service;
  GenerationController* m_generation = nullptr;
  TemplateStore* m_templates = nullptr;
  PromptPanel* m_prompt = nullptr;
  StagingBar* m_stagingBar = nullptr;
  GalleryPanel* m_gallery = nullptr;
  TemplateDialog* m_templateDialog = nullptr;
  SettingsDialog* m_settingsDialog = nullptr;
  QUndoView* m_undoView = nullptr;
  QMenu* m_recentMenu = nullptr;
  ShortcutsDialog* m_shortcuts = nullptr;
  QLabel* m_zoomLabel;
  QLabel* m_cursorLabel;
  QLabel* m_bboxLabel;
};

}  // namespace strata::ui
