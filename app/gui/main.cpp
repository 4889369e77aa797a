// strata — the canvas application: a thin main over strata_ui and its generation worker.
//   strata [FILE]                 opens FILE (.ora project or image), else offers crash restore
//   strata --screenshot PNG [FILE] once the model has loaded (or failed to), saves the window to
//                                  PNG and quits: the package test's proof that it launches
#include <QApplication>
#include <QIcon>
#include <QStringList>
#include <QTimer>

#include "main_window.h"
#include "model_picker.h"
#include "project_files.h"
#include "prompt_panel.h"
#include "worker_generation_service.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Strata"));
  QApplication::setApplicationName(QStringLiteral("Strata"));
  QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/strata/icon.svg")));
  QApplication::setDesktopFileName(QStringLiteral("io.strata.Strata"));
  QStringList args = QApplication::arguments();
  args.removeFirst();
  QString screenshot;
  if (const auto i = args.indexOf(QStringLiteral("--screenshot")); i >= 0 && i + 1 < args.size()) {
    screenshot = args.at(i + 1);
    args.remove(i, 2);
  }
  auto* service = new strata::ui::WorkerGenerationService;
  strata::ui::MainWindow window(service);
  window.show();
  window.startGeneration();
  if (!args.isEmpty()) {
    window.files()->open(args.first());
  } else if (screenshot.isEmpty()) {
    window.offerAutosaveRestore();
  }
  if (!screenshot.isEmpty()) {
    auto shoot = [&window, screenshot] {
      QTimer::singleShot(300, &window, [&window, screenshot] {
        const bool saved = window.grab().save(screenshot);
        QApplication::exit(saved ? 0 : 1);
      });
    };
    QObject::connect(service, &strata::ui::GenerationService::modelLoaded, &window, shoot);
    QObject::connect(service, &strata::ui::GenerationService::modelFailed, &window, shoot);
    if (window.promptPanel()->modelPicker()->defaultModelPath().isEmpty()) shoot();  // nothing to wait for
  }
  return QApplication::exec();
}
