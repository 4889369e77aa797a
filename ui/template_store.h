// template_store.h — the prompt templates the picker offers: the built-ins shipped in
// resources/templates.json (compiled in as :/strata/templates.json, read-only) followed by the
// user's own, stored in QStandardPaths::AppConfigLocation/templates.json (Strata's JSON format,
// written after every change). Names are unique: a user template that would clash gets " (2)",
// " (3)"… (import, duplicate, create). Import reads Strata JSON and InvokeAI style-preset JSON/CSV;
// export writes Strata JSON, or InvokeAI JSON when the file name ends in ".invokeai.json" or CSV
// when it ends in ".csv". The substitution rule is io::apply_template (InvokeAI's).
// Errors go to the caller as a message (the UI's error channel). UI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "strata/io/prompt_templates.h"

namespace strata::ui {

struct TemplateEntry {
  io::PromptTemplate value;
  bool builtin = false;
};

class TemplateStore : public QObject {
  Q_OBJECT
 public:
  // userFile: where user templates live ("" = AppConfigLocation/templates.json).
  explicit TemplateStore(QObject* parent = nullptr, const QString& userFile = {});

  const std::vector<TemplateEntry>& templates() const { return m_entries; }
  const TemplateEntry* find(const QString& name) const;
  // Names containing every word of `query` in the name or the texts (case-insensitive).
  QStringList search(const QString& query) const;
  QString userFile() const { return m_userFile; }

  // User templates. Each returns the name actually used ("" on failure, with `error` set).
  QString add(io::PromptTemplate t);
  QString duplicate(const QString& name);
  bool update(const QString& name, const io::PromptTemplate& t, QString* error = nullptr);
  bool remove(const QString& name);

  // Returns the number imported (renamed on clashes), -1 on failure.
  int importFile(const QString& path, QString* error = nullptr);
  bool exportFile(const QString& path, const QStringList& names, QString* error = nullptr) const;

 Q_SIGNALS:
  void changed();

 private:
  QString uniqueName(const QString& wanted, const QString& except = {}) const;
  void saveUser();

  QString m_userFile;
  std::vector<TemplateEntry> m_entries;
};

}  // namespace strata::ui
