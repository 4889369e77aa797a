// strata — the canvas application: a thin main over strata_ui.
#include <QApplication>
#include <QStringList>

#include "main_window.h"
#include "project_files.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Strata"));
  QApplication::setApplicationName(QStringLiteral("Strata"));
  QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
  strata::ui::MainWindow window;
  window.show();
  const QStringList args = QApplication::arguments();
  if (args.size() > 1) {
    window.files()->open(args.at(1));
  } else {
    window.offerAutosaveRestore();
  }
  return QApplication::exec();
}
