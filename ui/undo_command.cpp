#include "undo_command.h"

#include "document_controller.h"

namespace strata::ui {

DocUndoCommand::DocUndoCommand(DocumentController* controller, std::unique_ptr<doc::Command> command, int mergeKey)
    : m_controller(controller), m_mergeKey(mergeKey) {
  m_commands.push_back(std::move(command));
}

DocUndoCommand::DocUndoCommand(DocumentController* controller, std::vector<std::unique_ptr<doc::Command>> commands,
                               const QString& text)
    : QUndoCommand(text), m_controller(controller), m_commands(std::move(commands)), m_mergeKey(0) {}

void DocUndoCommand::redo() {
  if (m_controller->isReplaying()) return;  // rebuilt stack: the document already holds the state
  for (std::size_t i = 0; i < m_commands.size(); ++i) {
    if (!m_controller->applyCommand(*m_commands[i])) {
      for (std::size_t j = i; j-- > 0;) m_controller->revertCommand(*m_commands[j]);
      setObsolete(true);
      return;
    }
  }
  setText(QString::fromStdString(m_commands.back()->text()));
}

void DocUndoCommand::undo() {
  for (std::size_t i = m_commands.size(); i-- > 0;) m_controller->revertCommand(*m_commands[i]);
}

bool DocUndoCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = dynamic_cast<const DocUndoCommand*>(other);
  if (!o || o->isObsolete() || o->m_mergeKey != m_mergeKey) return false;
  auto* mutableOther = const_cast<DocUndoCommand*>(o);
  for (auto& c : mutableOther->m_commands) m_commands.push_back(std::move(c));
  mutableOther->m_commands.clear();
  setText(QString::fromStdString(m_commands.back()->text()));
  return true;
}

std::size_t DocUndoCommand::byteSize() const {
  std::size_t n = 0;
  for (const auto& c : m_commands) n += c->byte_size();
  return n;
}

}  // namespace strata::ui
