// strata — the canvas application: a thin main over strata_ui and its generation worker.
#include <QApplication>
#include <QStringList>

#include "main_window.h"
#include "project_files.h"
#include "worker_generation_service.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Strata"));
  QApplication::setApplicationName(QStringLiteral("Strata"));
  QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
  strata::ui::MainWindow window(new strata::ui::WorkerGenerationService);
  window.show();
  window.startGeneration();
  const QStringList args = QApplication::arguments();
  if (args.size() > 1) {
    window.files()->open(args.at(1));
  } else {
    window.offerAutosaveRestore();
  }
  return QApplication::exec();
}
