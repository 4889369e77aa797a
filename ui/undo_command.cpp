#include "undo_command.h"

namespace strata::ui {

DocUndoCommand::DocUndoCommand(CommandTarget* target, std::vector<std::unique_ptr<doc::Command>> commands,
                               MergeKey mergeKey, const QString& text)
    : m_target(target), m_commands(std::move(commands)), m_mergeKey(mergeKey) {
  setText(text.isEmpty() && !m_commands.empty() ? QString::fromStdString(m_commands.back()->text()) : text);
}

void DocUndoCommand::redo() {
  if (m_applied) return;  // pushed after the controller applied it
  for (std::size_t i = 0; i < m_commands.size(); ++i) {
    if (!m_target->apply(*m_commands[i])) {
      for (std::size_t j = i; j-- > 0;) m_target->revert(*m_commands[j]);
      setObsolete(true);  // the stack drops it; the error was reported
      return;
    }
  }
  m_applied = true;
}

void DocUndoCommand::undo() {
  for (std::size_t i = m_commands.size(); i-- > 0;) m_target->revert(*m_commands[i]);
  m_applied = false;
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
