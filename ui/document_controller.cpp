#include "document_controller.h"

#include <cmath>

#include "strata/doc/commands.h"
#include "strata/doc/diff.h"
#include "strata/doc/error.h"

namespace strata::ui {

namespace {

// The DocUndoCommands of one top-level undo step (itself, or a macro's children).
std::vector<DocUndoCommand*> stepParts(const QUndoCommand* step) {
  std::vector<DocUndoCommand*> parts;
  if (auto* d = dynamic_cast<const DocUndoCommand*>(step)) {
    parts.push_back(const_cast<DocUndoCommand*>(d));
    return parts;
  }
  for (int i = 0; i < step->childCount(); ++i) {
    if (auto* d = dynamic_cast<const DocUndoCommand*>(step->child(i))) parts.push_back(const_cast<DocUndoCommand*>(d));
  }
  return parts;
}

// The command that gives `property` of `l` the value `value`; null when it has that value already.
std::unique_ptr<doc::Command> layerPropertyCommand(const doc::Layer& l, LayerProperty property, const QVariant& value) {
  using P = doc::SetLayerProperty::Property;
  auto scalar = [&l](P p, double now, double to) -> std::unique_ptr<doc::Command> {
    if (std::abs(now - to) < 1e-6) return nullptr;
    return std::make_unique<doc::SetLayerProperty>(l.id, p, to);
  };
  // Opacity and strength are stored as float: compare in float precision, or 0.3 would never
  // equal the 0.3f already stored and every re-set would record a step.
  const auto fraction = [&value] { return static_cast<double>(static_cast<float>(value.toDouble())); };
  switch (property) {
    case LayerProperty::Name: {
      std::string name = value.toString().trimmed().toStdString();
      if (name == l.name) return nullptr;
      return std::make_unique<doc::RenameLayer>(l.id, std::move(name));
    }
    case LayerProperty::Visible: return scalar(P::Visible, l.visible, value.toBool());
    case LayerProperty::Locked: return scalar(P::Locked, l.locked, value.toBool());
    case LayerProperty::Opacity: return scalar(P::Opacity, l.opacity, fraction());
    case LayerProperty::Strength: return scalar(P::Strength, l.strength, fraction());
    case LayerProperty::Feather: return scalar(P::Feather, l.feather, value.toInt());
    case LayerProperty::Inverted: return scalar(P::Inverted, l.inverted, value.toBool());
  }
  return nullptr;
}

}  // namespace

DocumentController::DocumentController(QObject* parent) : QObject(parent) {
  m_undo.setUndoLimit(0);
  connect(&m_undo, &QUndoStack::cleanChanged, this, [this] { Q_EMIT modifiedChanged(isModified()); });
  connect(&m_undo, &QUndoStack::indexChanged, this, [this] { ++m_revision; });
}

DocumentController::~DocumentController() {
  m_undo.clear();  // while this object can still answer the stack's signals (commands are not undone)
}

bool DocumentController::push(std::unique_ptr<doc::Command> command, MergeKey mergeKey) {
  if (!command || !apply(*command)) return false;
  std::vector<std::unique_ptr<doc::Command>> commands;
  commands.push_back(std::move(command));
  m_undo.push(new DocUndoCommand(this, std::move(commands), mergeKey));
  trimHistory();
  resolveErrors(ErrorTopic::Edit);
  return true;
}

bool DocumentController::setLayerProperty(doc::LayerId id, LayerProperty property, const QVariant& value,
                                          MergeKey mergeKey) {
  const doc::Layer* l = m_doc.find(id);
  if (!l) return false;
  if (property == LayerProperty::Name && value.toString().trimmed().isEmpty()) return false;
  auto command = layerPropertyCommand(*l, property, value);
  return !command || push(std::move(command), mergeKey);
}

MergeKey DocumentController::newMergeKey() {
  if (++m_lastMergeKey == 0) ++m_lastMergeKey;  // 0 merges with nothing
  return MergeKey(m_lastMergeKey);
}

bool DocumentController::apply(doc::Command& command) {
  try {
    command.apply(m_doc);
  } catch (const doc::Error& e) {
    reportError(QString::fromStdString(e.what()), ErrorTopic::Edit);
    return false;
  }
  announce();
  return true;
}

void DocumentController::revert(doc::Command& command) {
  command.revert(m_doc);
  announce();
}

void DocumentController::announce() {
  const doc::DocumentChange change = doc::diff(m_shown, m_doc);
  m_shown = m_doc;
  if (m_current && !m_doc.contains(m_current)) {
    m_current = m_doc.layer_count() > 0 ? m_doc.layers().back().id : doc::LayerId{};
    Q_EMIT currentLayerChanged(m_current.value);
  }
  if (!change.dirty.empty()) {
    QVector<QRect> areas;
    areas.reserve(static_cast<qsizetype>(change.dirty.size()));
    for (const doc::Rect& r : change.dirty) areas.push_back({r.x, r.y, r.width, r.height});
    Q_EMIT areasChanged(areas);
  }
  if (change.layers) Q_EMIT layersChanged();
  if (change.bbox) Q_EMIT bboxChanged();
}

void DocumentController::reset(io::Project project, const QString& filePath) {
  m_undo.clear();
  m_doc = std::move(project.document);
  m_shown = m_doc;
  m_settings = std::move(project.settings);
  m_templateName = std::move(project.template_name);
  m_staging = std::move(project.staging);
  m_layerGeneration = std::move(project.layer_generation);
  m_filePath = filePath;
  m_settingsModified = false;
  m_undo.setClean();
  ++m_revision;
  m_current = m_doc.layer_count() > 0 ? m_doc.layers().back().id : doc::LayerId{};
  Q_EMIT documentReset();
  Q_EMIT layersChanged();
  Q_EMIT bboxChanged();
  Q_EMIT currentLayerChanged(m_current.value);
  Q_EMIT settingsChanged();
  Q_EMIT stagingChanged();
  Q_EMIT modifiedChanged(false);
}

io::Project DocumentController::project() const {
  io::Project p;
  p.document = m_doc;
  p.settings = m_settings;
  p.template_name = m_templateName;
  p.staging = m_staging;
  p.layer_generation = m_layerGeneration;  // io drops the records of layers no longer there
  return p;
}

void DocumentController::setSettings(const io::GenerationInfo& settings) {
  m_settings = settings;
  m_settingsModified = true;
  ++m_revision;
  Q_EMIT settingsChanged();
  Q_EMIT modifiedChanged(true);
}

void DocumentController::setTemplateName(const std::string& name) {
  if (name == m_templateName) return;
  m_templateName = name;
  markModified();
}

void DocumentController::addStaged(io::StagedImage image) {
  m_staging.push_back(std::move(image));
  ++m_revision;
  markModified();
  Q_EMIT stagingChanged();
}

void DocumentController::removeStaged(int index) {
  if (index < 0 || index >= static_cast<int>(m_staging.size())) return;
  m_staging.erase(m_staging.begin() + index);
  ++m_revision;
  markModified();
  Q_EMIT stagingChanged();
}

void DocumentController::clearStaging() {
  if (m_staging.empty()) return;
  m_staging.clear();
  ++m_revision;
  markModified();
  Q_EMIT stagingChanged();
}

void DocumentController::markSaved(const QString& filePath) {
  m_filePath = filePath;
  m_settingsModified = false;
  m_undo.setClean();
  Q_EMIT modifiedChanged(false);
}

void DocumentController::markModified() {
  m_settingsModified = true;
  Q_EMIT modifiedChanged(true);
}

const io::GenerationInfo* DocumentController::layerGeneration(doc::LayerId id) const {
  const auto it = m_layerGeneration.find(id.value);
  return it == m_layerGeneration.end() ? nullptr : &it->second;
}

void DocumentController::setCurrentLayer(doc::LayerId id) {
  if (id && !m_doc.contains(id)) return;
  if (id == m_current) return;
  m_current = id;
  Q_EMIT currentLayerChanged(id.value);
  if (id) resolveErrors(ErrorTopic::Edit);
}

void DocumentController::reportError(const QString& message, ErrorTopic topic) { Q_EMIT errorReported(message, topic); }
void DocumentController::resolveErrors(ErrorTopic topic) { Q_EMIT errorsResolved(topic); }
void DocumentController::reportInfo(const QString& message) { Q_EMIT infoReported(message); }

void DocumentController::setUndoByteBudget(std::size_t bytes) {
  m_byteBudget = bytes;
  trimHistory();
}

std::size_t DocumentController::undoByteSize() const {
  std::size_t n = 0;
  for (int i = 0; i < m_undo.count(); ++i) {
    for (const DocUndoCommand* part : stepParts(m_undo.command(i))) n += part->byteSize();
  }
  return n;
}

void DocumentController::trimHistory() {
  // QUndoStack cannot drop its oldest steps, so the stack is rebuilt without them (only at the
  // top of the stack, outside a macro, right after a push: there is nothing to redo then).
  if (m_undo.index() != m_undo.count() || m_undo.count() < 2) return;
  std::size_t total = undoByteSize();
  if (total <= m_byteBudget) return;
  int drop = 0;
  while (total > m_byteBudget && drop < m_undo.count() - 1) {
    for (const DocUndoCommand* part : stepParts(m_undo.command(drop))) total -= part->byteSize();
    ++drop;
  }
  struct Step {
    std::vector<std::unique_ptr<doc::Command>> commands;
    QString text;
  };
  std::vector<Step> kept;
  for (int i = drop; i < m_undo.count(); ++i) {
    Step step{{}, m_undo.text(i)};
    for (DocUndoCommand* part : stepParts(m_undo.command(i))) {
      for (auto& c : part->takeCommands()) step.commands.push_back(std::move(c));
    }
    kept.push_back(std::move(step));
  }
  const bool wasClean = m_undo.isClean();
  m_undo.clear();
  for (Step& s : kept) m_undo.push(new DocUndoCommand(this, std::move(s.commands), {}, s.text));  // nothing re-applied
  if (wasClean) {
    m_undo.setClean();
  } else {
    m_undo.resetClean();
  }
}

}  // namespace strata::ui
