#include "template_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include "strata/doc/error.h"

static void initStrataResources() { Q_INIT_RESOURCE(strata); }

namespace strata::ui {

namespace {

std::string readAll(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = QObject::tr("Cannot read %1: %2").arg(path, f.errorString());
    return {};
  }
  return f.readAll().toStdString();
}

}  // namespace

TemplateStore::TemplateStore(QObject* parent, const QString& userFile) : QObject(parent), m_userFile(userFile) {
  initStrataResources();
  if (m_userFile.isEmpty()) {
    m_userFile = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/templates.json");
  }
  QString error;
  for (auto& t : io::parse_templates(readAll(QStringLiteral(":/strata/templates.json"), &error), "templates.json")) {
    m_entries.push_back({std::move(t), true});
  }
  if (QFileInfo::exists(m_userFile)) {
    try {
      for (auto& t : io::parse_templates(readAll(m_userFile, &error), m_userFile.toStdString())) {
        t.name = uniqueName(QString::fromStdString(t.name)).toStdString();
        m_entries.push_back({std::move(t), false});
      }
    } catch (const doc::Error&) {
      // A broken user file is left alone (not overwritten until the user changes a template).
    }
  }
}

const TemplateEntry* TemplateStore::find(const QString& name) const {
  const std::string n = name.toStdString();
  for (const auto& e : m_entries) {
    if (e.value.name == n) return &e;
  }
  return nullptr;
}

QStringList TemplateStore::search(const QString& query) const {
  const QStringList words = query.split(u' ', Qt::SkipEmptyParts);
  QStringList out;
  for (const auto& e : m_entries) {
    const QString hay = QString::fromStdString(e.value.name + "\n" + e.value.positive + "\n" + e.value.negative);
    bool all = true;
    for (const QString& w : words) all = all && hay.contains(w, Qt::CaseInsensitive);
    if (all) out.push_back(QString::fromStdString(e.value.name));
  }
  return out;
}

QString TemplateStore::uniqueName(const QString& wanted, const QString& except) const {
  const QString base = wanted.trimmed().isEmpty() ? tr("Untitled template") : wanted.trimmed();
  QString name = base;
  for (int i = 2; find(name) && name != except; ++i) name = QStringLiteral("%1 (%2)").arg(base).arg(i);
  return name;
}

QString TemplateStore::add(io::PromptTemplate t) {
  t.name = uniqueName(QString::fromStdString(t.name)).toStdString();
  m_entries.push_back({t, false});
  saveUser();
  Q_EMIT changed();
  return QString::fromStdString(t.name);
}

QString TemplateStore::duplicate(const QString& name) {
  const TemplateEntry* e = find(name);
  if (!e) return {};
  io::PromptTemplate copy = e->value;
  copy.name += " (copy)";
  return add(copy);
}

bool TemplateStore::update(const QString& name, const io::PromptTemplate& t, QString* error) {
  for (auto& e : m_entries) {
    if (e.value.name != name.toStdString()) continue;
    if (e.builtin) {
      if (error) *error = tr("Built-in templates cannot be changed; duplicate it first.");
      return false;
    }
    const std::string unique = uniqueName(QString::fromStdString(t.name), name).toStdString();
    e.value = t;
    e.value.name = unique;
    saveUser();
    Q_EMIT changed();
    return true;
  }
  if (error) *error = tr("No template named %1").arg(name);
  return false;
}

bool TemplateStore::remove(const QString& name) {
  const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                               [&](const TemplateEntry& e) { return !e.builtin && e.value.name == name.toStdString(); });
  if (it == m_entries.end()) return false;
  m_entries.erase(it);
  saveUser();
  Q_EMIT changed();
  return true;
}

int TemplateStore::importFile(const QString& path, QString* error) {
  QString readError;
  const std::string text = readAll(path, &readError);
  if (!readError.isEmpty()) {
    if (error) *error = readError;
    return -1;
  }
  std::vector<io::PromptTemplate> read;
  try {
    read = io::parse_templates(text, QFileInfo(path).fileName().toStdString());
  } catch (const doc::Error& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return -1;
  }
  for (auto& t : read) {
    t.name = uniqueName(QString::fromStdString(t.name)).toStdString();
    m_entries.push_back({std::move(t), false});
  }
  saveUser();
  Q_EMIT changed();
  return static_cast<int>(read.size());
}

bool TemplateStore::exportFile(const QString& path, const QStringList& names, QString* error) const {
  std::vector<io::PromptTemplate> list;
  for (const QString& n : names) {
    if (const TemplateEntry* e = find(n)) list.push_back(e->value);
  }
  const QString lower = path.toLower();
  const std::string text = lower.endsWith(QLatin1String(".csv"))              ? io::templates_to_invokeai_csv(list)
                           : lower.endsWith(QLatin1String(".invokeai.json")) ? io::templates_to_invokeai_json(list)
                                                                              : io::templates_to_json(list);
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), static_cast<qint64>(text.size())) < 0 || !f.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

void TemplateStore::saveUser() {
  std::vector<io::PromptTemplate> user;
  for (const auto& e : m_entries) {
    if (!e.builtin) user.push_back(e.value);
  }
  QDir().mkpath(QFileInfo(m_userFile).absolutePath());
  const std::string text = io::templates_to_json(user);
  QSaveFile f(m_userFile);
  if (f.open(QIODevice::WriteOnly)) {
    f.write(text.data(), static_cast<qint64>(text.size()));
    f.commit();
  }
}

}  // namespace strata::ui
