#include "model_entry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "named_combo.h"

namespace strata::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("strata::ui::ModelPicker", text); }

}  // namespace

QString modelDisplayName(const QString& path) {
  const QFileInfo info(path);
  if (info.isDir()) return QDir(info.absoluteFilePath()).dirName();
  QString name = info.fileName();
  if (name.endsWith(QLatin1String(".safetensors"), Qt::CaseInsensitive)) name.chop(12);
  const bool generic = name == QLatin1String("model") || name == QLatin1String("diffusion_pytorch_model");
  const QString folder = info.absoluteDir().dirName();
  return generic && !folder.isEmpty() ? folder : name;
}

QString modelEntryText(const ModelDescription& model) {
  const QString name = model.name.isEmpty() ? modelDisplayName(model.path) : model.name;
  if (!model.runnable) return tr("%1 (cannot run)").arg(name);
  QString text = name;
  if (!model.family.isEmpty()) text += QStringLiteral(" — ") + model.family;
  if (model.nativeSize > 0) text += QStringLiteral(" · ") + QString::number(model.nativeSize) + QChar(0x00B2);  // "²" (arg() would read it as a digit)
  return text;
}

QString predictionLabel(const QString& id) {
  if (const auto* row = doc::find_named(diffusion::kPredictions, id.toStdString())) return qstr(row->label);
  return id;
}

QString modelStatusText(const ModelDescription& model, bool predictionChosen) {
  QString text = model.name;
  if (!model.family.isEmpty()) text += QStringLiteral(" · ") + model.family;
  if (!model.prediction.isEmpty()) {
    text += QStringLiteral(" · ") + predictionLabel(model.prediction);
    if (predictionChosen) text += tr(" (your choice)");
  }
  if (model.nativeSize > 0) text += tr(" · native %1 px").arg(model.nativeSize);
  return text;
}

}  // namespace strata::ui
