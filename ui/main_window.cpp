#include "main_window.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QUndoView>
#include <QVBoxLayout>
#include <cmath>

#include "action_registry.h"
#include "canvas_view.h"
#include "document_controller.h"
#include "image_import.h"
#include "gallery_panel.h"
#include "generation_controller.h"
#include "layers_panel.h"
#include "message_banner.h"
#include "prompt_panel.h"
#include "staging_bar.h"
#include "project_files.h"
#include "shortcuts_dialog.h"
#include "strata/doc/error.h"
#include "strata/doc/tools/transform.h"
#include "tool_controller.h"

namespace strata::ui {

MainWindow::MainWindow(GenerationService* service, QWidget* parent)
    : QMainWindow(parent),
      m_document(new DocumentController(this)),
      m_tools(new ToolController(m_document, this)),
      m_canvas(new CanvasView(m_document, m_tools)),
      m_files(new ProjectFiles(m_document, this)),
      m_importer(new ImageImporter(m_document, this)),
      m_banner(new MessageBanner),
      m_actions(new ActionRegistry(this)),
      m_service(service) {
  setObjectName(QStringLiteral("mainWindow"));
  if (m_service && !m_service->parent()) m_service->setParent(this);
  createGeneration();
  m_canvas->setImporter(m_importer);
  auto* centre = new QWidget;
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(m_banner);
  layout->addWidget(m_canvas, 1);
  layout->addWidget(m_stagingBar);
  setCentralWidget(centre);

  createDocks();
  createActions();
  createMenus();
  createStatusBar();

  connect(m_document, &DocumentController::errorReported, m_banner, &MessageBanner::showError);
  connect(m_document, &DocumentController::errorsResolved, m_banner, &MessageBanner::resolve);
  connect(m_document, &DocumentController::infoReported, this, [this](const QString& message) {
    statusBar()->showMessage(message, 5000);
  });
  connect(m_document, &DocumentController::modifiedChanged, this, &MainWindow::updateTitle);
  connect(m_document, &DocumentController::documentReset, this, &MainWindow::updateTitle);
  connect(m_importer, &ImageImporter::metadataFound, this,
          [this](const io::GenerationInfo& info, const QString& fileName) {
            const QString prompt = QString::fromStdString(info.prompt).left(80);
            m_banner->showMessage(MessageBanner::Kind::Question,
                                  tr("%1 carries generation parameters (%2): “%3”")
                                      .arg(fileName, QString::fromStdString(info.generator), prompt),
                                  tr("Recall parameters"), [this, info] {
                                    m_document->setSettings(info);
                                    m_prompt->recall(info);
                                    statusBar()->showMessage(tr("Parameters recalled into the project"), 5000);
                                  });
          });

  resize(1280, 820);
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
  updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks() {
  m_layers = new LayersPanel(m_document);
  auto* layersDock = new QDockWidget(tr("Layers"), this);
  layersDock->setObjectName(QStringLiteral("layersDock"));
  layersDock->setWidget(m_layers);
  addDockWidget(Qt::RightDockWidgetArea, layersDock);

  m_undoView = new QUndoView(m_document->undoStack());
  m_undoView->setEmptyLabel(tr("<empty document>"));
  auto* historyDock = new QDockWidget(tr("History"), this);
  historyDock->setObjectName(QStringLiteral("historyDock"));
  historyDock->setWidget(m_undoView);
  addDockWidget(Qt::RightDockWidgetArea, historyDock);

  auto* scroll = new QScrollArea;
  scroll->setWidget(m_prompt);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(300);
  m_generationDock = new QDockWidget(tr("Generation"), this);
  m_generationDock->setObjectName(QStringLiteral("generationDock"));
  m_generationDock->setWidget(scroll);
  addDockWidget(Qt::LeftDockWidgetArea, m_generationDock);

  auto* galleryDock = new QDockWidget(tr("Gallery"), this);
  galleryDock->setObjectName(QStringLiteral("galleryDock"));
  galleryDock->setWidget(m_gallery);
  addDockWidget(Qt::RightDockWidgetArea, galleryDock);
  tabifyDockWidget(historyDock, galleryDock);
  historyDock->raise();
}

void MainWindow::createStatusBar() {
  m_zoomLabel = new QLabel;
  m_cursorLabel = new QLabel;
  m_bboxLabel = new QLabel;
  for (QLabel* l : {m_cursorLabel, m_bboxLabel, m_zoomLabel}) {
    l->setMinimumWidth(110);
    statusBar()->addPermanentWidget(l);
  }
  auto showZoom = [this](double zoom) { m_zoomLabel->setText(tr("Zoom %1 %").arg(std::round(zoom * 1000) / 10)); };
  auto showBBox = [this] {
    const doc::Rect& b = m_document->document().bbox();
    m_bboxLabel->setText(tr("BBox %1 × %2").arg(b.width).arg(b.height));
  };
  connect(m_canvas, &CanvasView::zoomChanged, this, showZoom);
  connect(m_canvas, &CanvasView::cursorMoved, this,
          [this](const QPoint& p) { m_cursorLabel->setText(tr("x %1  y %2").arg(p.x()).arg(p.y())); });
  connect(m_document, &DocumentController::bboxChanged, this, showBBox);
  showZoom(m_canvas->zoom());
  showBBox();
}

void MainWindow::updateTitle() {
  const QString path = m_document->filePath();
  const QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
  setWindowTitle(name + QStringLiteral("[*] — Strata"));
  setWindowModified(m_document->isModified());
}

void MainWindow::offerAutosaveRestore() {
  if (!m_files->hasAutosave()) return;
  m_banner->showMessage(MessageBanner::Kind::Question,
                        tr("Strata did not close properly last time. Restore the autosaved document?"),
                        tr("Restore"), [this] { m_files->restoreAutosave(); }, tr("Discard"),
                        [this] { m_files->discardAutosave(); });
}

void MainWindow::paste() {
  const doc::Rect& b = m_document->document().bbox();
  m_importer->importMimeData(QApplication::clipboard()->mimeData(), QPoint(b.x, b.y), false);
}

int MainWindow::importImageLayers(const QStringList& paths) {
  const doc::Rect& b = m_document->document().bbox();
  return m_importer->importFiles(paths, QPoint(b.x, b.y), false);
}

void MainWindow::importImageLayersWithDialog() {
  const QStringList paths =
      QFileDialog::getOpenFileNames(this, tr("Import image as layer"), QString(), ProjectFiles::imageFilter());
  if (!paths.isEmpty()) importImageLayers(paths);
}

void MainWindow::showShortcuts() {
  if (!m_shortcuts) m_shortcuts = new ShortcutsDialog(m_actions, this);
  m_shortcuts->reload();
  m_shortcuts->show();
  m_shortcuts->raise();
}

void MainWindow::transformCurrentLayer(double scaleX, double scaleY, bool flipH, bool flipV) {
  const doc::LayerId id = m_document->currentLayer();
  if (!id) return m_document->reportError(tr("Select a layer to transform."), ErrorTopic::Edit);
  try {
    auto cmd = doc::transform_layer(m_document->document(), id, doc::Transform{scaleX, scaleY, flipH, flipV});
    if (cmd) m_document->push(std::move(cmd));
  } catch (const doc::Error& e) {
    m_document->reportError(QString::fromStdString(e.what()), ErrorTopic::Edit);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!m_files->maybeSave()) {
    event->ignore();
    return;
  }
  m_files->discardAutosave();  // a clean exit: nothing to restore next time
  QSettings settings;
  settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("mainWindow/state"), saveState());
  event->accept();
}

}  // namespace strata::ui
