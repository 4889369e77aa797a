#include "model_vocabulary.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace strata::ui {

PromptVocabulary readPromptVocabulary(const QString& modelPath) {
  const QFileInfo model(modelPath);
  QFile file((model.isDir() ? model.absoluteFilePath() : model.absolutePath()) + QStringLiteral("/config.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QJsonObject v = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("prompt_vocabulary")).toObject();
  PromptVocabulary out;
  out.example = v.value(QStringLiteral("example")).toString();
  for (const QJsonValue& g : v.value(QStringLiteral("groups")).toArray()) {
    const QJsonObject group = g.toObject();
    QStringList words;
    for (const QJsonValue& w : group.value(QStringLiteral("words")).toArray()) {
      if (!w.toString().isEmpty()) words.push_back(w.toString());
    }
    if (!words.isEmpty()) out.groups.push_back({group.value(QStringLiteral("name")).toString(), words});
  }
  return out;
}

QString vocabularyHint(const PromptVocabulary& vocabulary) {
  if (vocabulary.empty()) return {};
  QStringList parts;
  for (const auto& [name, words] : vocabulary.groups) parts.push_back(name + QStringLiteral(": ") + words.join(QStringLiteral(", ")));
  QString hint = QObject::tr("This model knows only these words — %1.").arg(parts.join(QStringLiteral("; ")));
  if (!vocabulary.example.isEmpty()) hint += QObject::tr("\nExample: “%1”").arg(vocabulary.example);
  return hint;
}

}  // namespace strata::ui
