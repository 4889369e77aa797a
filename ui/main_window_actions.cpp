// MainWindow: actions (with InvokeAI-style shortcuts), menus and the tool bar.
#include <QActionGroup>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QToolBar>
#include <QUndoStack>

#include "action_registry.h"
#include "canvas_view.h"
#include "generation_controller.h"
#include "document_controller.h"
#include "layers_panel.h"
#include "main_window.h"
#include "project_files.h"
#include "tool_controller.h"
#include "tool_options_bar.h"

namespace strata::ui {

void MainWindow::createActions() {
  ActionRegistry& a = *m_actions;
  const QString file = tr("File"), edit = tr("Edit"), view = tr("View"), tools = tr("Tools"), layer = tr("Layer"),
                gen = tr("Generation"), help = tr("Help");
  connect(a.add(QStringLiteral("file.new"), tr("&New"), QKeySequence::New, file), &QAction::triggered, m_files,
          &ProjectFiles::newDocument);
  connect(a.add(QStringLiteral("file.open"), tr("&Open…"), QKeySequence::Open, file), &QAction::triggered, m_files,
          &ProjectFiles::openWithDialog);
  // GIMP's "Open as Layers" shortcut.
  connect(a.add(QStringLiteral("file.importLayer"), tr("&Import image as layer…"), QKeySequence(QStringLiteral("Ctrl+Alt+O")),
                file),
          &QAction::triggered, this, &MainWindow::importImageLayersWithDialog);
  connect(a.add(QStringLiteral("file.save"), tr("&Save"), QKeySequence::Save, file), &QAction::triggered, m_files,
          &ProjectFiles::save);
  connect(a.add(QStringLiteral("file.saveAs"), tr("Save &as…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), file),
          &QAction::triggered, m_files, &ProjectFiles::saveAsWithDialog);
  connect(a.add(QStringLiteral("file.exportBBox"), tr("Export bbox as PNG…"), QKeySequence(QStringLiteral("Ctrl+Shift+E")), file),
          &QAction::triggered, this, [this] { m_files->exportWithDialog(true); });
  connect(a.add(QStringLiteral("file.exportCanvas"), tr("Export canvas as PNG…"), {}, file), &QAction::triggered, this,
          [this] { m_files->exportWithDialog(false); });
  connect(a.add(QStringLiteral("file.quit"), tr("&Quit"), QKeySequence::Quit, file), &QAction::triggered, this,
          &QWidget::close);

  QAction* undo = a.add(QStringLiteral("edit.undo"), tr("&Undo"), QKeySequence(QStringLiteral("Ctrl+Z")), edit);
  QAction* redo = a.add(QStringLiteral("edit.redo"), tr("&Redo"), QKeySequence(QStringLiteral("Ctrl+Shift+Z")), edit);
  redo->setShortcuts({QKeySequence(QStringLiteral("Ctrl+Shift+Z")), QKeySequence(QStringLiteral("Ctrl+Y"))});
  QUndoStack* stack = m_document->undoStack();
  connect(undo, &QAction::triggered, stack, &QUndoStack::undo);
  connect(redo, &QAction::triggered, stack, &QUndoStack::redo);
  connect(stack, &QUndoStack::canUndoChanged, undo, &QAction::setEnabled);
  connect(stack, &QUndoStack::canRedoChanged, redo, &QAction::setEnabled);
  undo->setEnabled(false);
  redo->setEnabled(false);
  connect(a.add(QStringLiteral("edit.paste"), tr("&Paste image"), QKeySequence::Paste, edit), &QAction::triggered, this,
          &MainWindow::paste);
  connect(a.add(QStringLiteral("edit.cancel"), tr("Cancel stroke / generation"), QKeySequence(Qt::Key_Escape), edit),
          &QAction::triggered, this, [this] {
            if (m_generation->isBusy()) m_generation->cancel();
            m_tools->cancel();
          });

  connect(a.add(QStringLiteral("view.zoomIn"), tr("Zoom &in"), QKeySequence(QStringLiteral("Ctrl+=")), view),
          &QAction::triggered, m_canvas, &CanvasView::zoomIn);
  connect(a.add(QStringLiteral("view.zoomOut"), tr("Zoom &out"), QKeySequence(QStringLiteral("Ctrl+-")), view),
          &QAction::triggered, m_canvas, &CanvasView::zoomOut);
  connect(a.add(QStringLiteral("view.fit"), tr("&Fit to window"), QKeySequence(QStringLiteral("Ctrl+0")), view),
          &QAction::triggered, m_canvas, &CanvasView::fitToView);
  connect(a.add(QStringLiteral("view.actual"), tr("Actual size (100 %)"), QKeySequence(QStringLiteral("Ctrl+1")), view),
          &QAction::triggered, m_canvas, &CanvasView::actualSize);
  QAction* masks = a.add(QStringLiteral("view.masks"), tr("Show inpaint &mask"), QKeySequence(Qt::Key_H), view);
  masks->setCheckable(true);
  masks->setChecked(m_canvas->masksVisible());
  connect(masks, &QAction::toggled, m_canvas, &CanvasView::setMasksVisible);
  connect(m_canvas, &CanvasView::masksVisibleChanged, masks, &QAction::setChecked);

  auto* group = new QActionGroup(this);
  const std::tuple<const char*, QString, Qt::Key, ToolKind> toolDefs[] = {
      {"tool.brush", tr("&Brush"), Qt::Key_B, ToolKind::Brush},
      {"tool.eraser", tr("&Eraser"), Qt::Key_E, ToolKind::Eraser},
      {"tool.move", tr("&Move layer"), Qt::Key_V, ToolKind::Move},
      {"tool.bbox", tr("Bounding &box"), Qt::Key_C, ToolKind::BBox},
      {"tool.picker", tr("Colour &picker"), Qt::Key_I, ToolKind::ColorPicker},
  };
  for (const auto& [id, text, key, kind] : toolDefs) {
    QAction* t = a.add(QString::fromLatin1(id), text, QKeySequence(key), tools);
    t->setCheckable(true);
    t->setChecked(kind == m_tools->tool());
    group->addAction(t);
    connect(t, &QAction::triggered, this, [this, k = kind] { m_tools->setTool(k); });
    connect(m_tools, &ToolController::toolChanged, t, [t, k = kind](ToolKind now) { t->setChecked(now == k); });
  }
  connect(a.add(QStringLiteral("tool.grow"), tr("Increase brush size"), QKeySequence(Qt::Key_BracketRight), tools),
          &QAction::triggered, m_tools, &ToolController::growBrush);
  connect(a.add(QStringLiteral("tool.shrink"), tr("Decrease brush size"), QKeySequence(Qt::Key_BracketLeft), tools),
          &QAction::triggered, m_tools, &ToolController::shrinkBrush);

  LayersPanel* lp = m_layers;
  connect(a.add(QStringLiteral("layer.add"), tr("New raster layer"), QKeySequence(QStringLiteral("Ctrl+Shift+N")), layer),
          &QAction::triggered, lp, &LayersPanel::addRasterLayer);
  connect(a.add(QStringLiteral("layer.addMask"), tr("New inpaint mask"), QKeySequence(QStringLiteral("Ctrl+Shift+M")), layer),
          &QAction::triggered, lp, &LayersPanel::addMaskLayer);
  connect(a.add(QStringLiteral("layer.duplicate"), tr("Duplicate layer"), QKeySequence(QStringLiteral("Ctrl+J")), layer),
          &QAction::triggered, lp, &LayersPanel::duplicateLayer);
  connect(a.add(QStringLiteral("layer.delete"), tr("Delete layer"), QKeySequence(QStringLiteral("Shift+Del")), layer),
          &QAction::triggered, lp, &LayersPanel::deleteLayer);
  connect(a.add(QStringLiteral("layer.mergeDown"), tr("Merge down"), QKeySequence(QStringLiteral("Ctrl+E")), layer),
          &QAction::triggered, lp, &LayersPanel::mergeDown);
  connect(a.add(QStringLiteral("layer.clearMask"), tr("Clear mask"), QKeySequence(QStringLiteral("Shift+C")), layer),
          &QAction::triggered, lp, &LayersPanel::clearMask);
  connect(a.add(QStringLiteral("layer.invertMask"), tr("Invert mask"), QKeySequence(QStringLiteral("Shift+I")), layer),
          &QAction::triggered, lp, &LayersPanel::invertMask);
  connect(a.add(QStringLiteral("layer.flipH"), tr("Flip horizontally"), {}, layer), &QAction::triggered, this,
          [this] { transformCurrentLayer(1, 1, true, false); });
  connect(a.add(QStringLiteral("layer.flipV"), tr("Flip vertically"), {}, layer), &QAction::triggered, this,
          [this] { transformCurrentLayer(1, 1, false, true); });
  connect(a.add(QStringLiteral("layer.scale"), tr("Scale layer…"), QKeySequence(QStringLiteral("Ctrl+T")), layer),
          &QAction::triggered, this, &MainWindow::scaleCurrentLayerWithDialog);

  createGenerationActions();
  connect(a.add(QStringLiteral("help.shortcuts"), tr("&Keyboard shortcuts"), QKeySequence(QStringLiteral("F1")), help),
          &QAction::triggered, this, &MainWindow::showShortcuts);
  for (const QString& id : a.ids()) addAction(a.action(id));  // shortcuts work with menus hidden too
}

void MainWindow::createMenus() {
  ActionRegistry& a = *m_actions;
  auto fill = [&a](QMenu* menu, std::initializer_list<const char*> ids) {
    for (const char* id : ids) {
      if (id[0] == '-') {
        menu->addSeparator();
      } else {
        menu->addAction(a.action(QString::fromLatin1(id)));
      }
    }
  };
  QMenu* file = menuBar()->addMenu(tr("&File"));
  fill(file, {"file.new", "file.open"});
  m_recentMenu = file->addMenu(tr("Open &recent"));
  fill(file, {"file.importLayer", "-", "file.save", "file.saveAs", "-", "file.exportBBox", "file.exportCanvas", "-", "file.quit"});
  connect(m_files, &ProjectFiles::recentFilesChanged, this, &MainWindow::updateRecentMenu);
  updateRecentMenu();
  fill(menuBar()->addMenu(tr("&Edit")), {"edit.undo", "edit.redo", "-", "edit.paste", "edit.cancel", "-", "app.settings"});
  fill(menuBar()->addMenu(tr("&View")), {"view.zoomIn", "view.zoomOut", "view.fit", "view.actual", "-", "view.masks"});
  fill(menuBar()->addMenu(tr("&Tools")),
       {"tool.brush", "tool.eraser", "tool.move", "tool.bbox", "tool.picker", "-", "tool.grow", "tool.shrink"});
  fill(menuBar()->addMenu(tr("&Layer")), {"layer.add", "layer.addMask", "layer.duplicate", "layer.delete", "layer.mergeDown",
                                          "-", "layer.clearMask", "layer.invertMask", "-", "layer.flipH", "layer.flipV",
                                          "layer.scale"});
  fill(menuBar()->addMenu(tr("&Generation")), {"gen.invoke", "gen.cancel", "gen.clearQueue", "-", "gen.accept", "gen.next",
                                               "gen.previous", "gen.discard", "-", "gen.templates"});
  fill(menuBar()->addMenu(tr("&Help")), {"help.shortcuts"});

  QToolBar* bar = addToolBar(tr("Tools"));
  bar->setObjectName(QStringLiteral("toolsBar"));
  for (const char* id : {"tool.brush", "tool.eraser", "tool.move", "tool.bbox", "tool.picker"}) {
    bar->addAction(a.action(QString::fromLatin1(id)));
  }
  bar->addSeparator();
  bar->addAction(a.action(QStringLiteral("view.masks")));
  bar->addSeparator();
  bar->addWidget(new ToolOptionsBar(m_tools));
}

void MainWindow::updateRecentMenu() {
  m_recentMenu->clear();
  const QStringList files = m_files->recentFiles();
  for (const QString& path : files) {
    connect(m_recentMenu->addAction(QFileInfo(path).fileName()), &QAction::triggered, this, [this, path] {
      if (m_files->maybeSave()) m_files->open(path);
    });
  }
  m_recentMenu->setEnabled(!files.isEmpty());
  if (!files.isEmpty()) {
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("Clear list")), &QAction::triggered, m_files, &ProjectFiles::clearRecentFiles);
  }
}

void MainWindow::scaleCurrentLayerWithDialog() {
  bool ok = false;
  const double percent = QInputDialog::getDouble(this, tr("Scale layer"), tr("Scale (%)"), 100, 1, 1600, 1, &ok);
  if (ok) transformCurrentLayer(percent / 100.0, percent / 100.0, false, false);
}

}  // namespace strata::ui
