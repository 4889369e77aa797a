// undo_command.h — a QUndoCommand wrapping doc::Commands (Pencil2D undoredocommand.h pattern).
//
// redo() applies the commands through the DocumentController, undo() reverts them in reverse
// order. A command that fails on its first redo (a locked layer, a layer deleted meanwhile) makes
// itself obsolete, so QUndoStack::push drops it; the error goes to the controller's error channel.
// Consecutive commands with the same non-zero merge key (one slider drag) merge into one step.
// Owned by the QUndoStack; UI thread only.
#pragma once

#include <QUndoCommand>
#include <memory>
#include <vector>

#include "strata/doc/command.h"

namespace strata::ui {

class DocumentController;

class DocUndoCommand : public QUndoCommand {
 public:
  // QUndoCommand::id() of every mergeable DocUndoCommand: QUndoStack calls mergeWith() only on
  // consecutive commands with the same id != -1, and mergeWith() then compares the merge keys.
  // Any fixed value unused by other QUndoCommand types would do; 0x5354 is "ST" (Strata) in ASCII.
  static constexpr int kMergeableId = 0x5354;

  DocUndoCommand(DocumentController* controller, std::unique_ptr<doc::Command> command, int mergeKey = 0);
  // A step that already happened (stack rebuilds): keeps the commands' grouping and text.
  DocUndoCommand(DocumentController* controller, std::vector<std::unique_ptr<doc::Command>> commands, const QString& text);

  void redo() override;
  void undo() override;
  int id() const override { return m_mergeKey != 0 ? kMergeableId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

  std::size_t byteSize() const;
  // Moves the doc::Commands out (used when the controller rebuilds its stack to trim memory).
  std::vector<std::unique_ptr<doc::Command>> takeCommands() { return std::move(m_commands); }
  int mergeKey() const { return m_mergeKey; }

 private:
  DocumentController* m_controller;
  std::vector<std::unique_ptr<doc::Command>> m_commands;
  int m_mergeKey;
};

}  // namespace strata::ui
