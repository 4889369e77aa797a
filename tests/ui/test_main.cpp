// Catch2 main for the UI tests: a QApplication (offscreen unless told otherwise), test-mode
// standard paths (QSettings and autosave stay out of the user's folders).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QStandardPaths::setTestModeEnabled(true);
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("StrataTest"));
  QApplication::setApplicationName(QStringLiteral("strata-ui-test"));
  QSettings().clear();
  return Catch::Session().run(argc, argv);
}
