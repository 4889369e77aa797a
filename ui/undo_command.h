// undo_command.h — a QUndoCommand wrapping doc::Commands (Pencil2D undoredocommand.h pattern), and
// the merge keys that make several edits one undo step.
//
// A DocUndoCommand is pushed *after* its commands were applied (the DocumentController applies
// first, so a failure is a return value and nothing reaches the stack): its first redo() does
// nothing; later redo()s apply the commands again through its CommandTarget, undo() reverts them in
// reverse order. Consecutive commands with the same non-zero MergeKey (one slider drag) merge into
// one step. This header knows nothing of the controller: it replays through the CommandTarget
// interface, which the DocumentController implements. Owned by the QUndoStack; UI thread only.
#pragma once

#include <QUndoCommand>
#include <QtGlobal>
#include <memory>
#include <vector>

#include "strata/doc/command.h"

namespace strata::ui {

// Names one gesture whose edits become one undo step (a slider drag: press to release). Keys come
// from DocumentController::newMergeKey(), so two gestures (two drags, the panel's slider and a
// row's bar) never share one; the default key merges with nothing.
class MergeKey {
 public:
  constexpr MergeKey() = default;
  explicit constexpr MergeKey(quint32 value) : m_value(value) {}
  constexpr quint32 value() const { return m_value; }
  explicit constexpr operator bool() const { return m_value != 0; }
  friend constexpr bool operator==(MergeKey, MergeKey) = default;

 private:
  quint32 m_value = 0;
};

// What a DocUndoCommand replays its commands on.
class CommandTarget {
 public:
  // Applies `command` and announces the change; false (the error reported, the document
  // unchanged) when it failed.
  virtual bool apply(doc::Command& command) = 0;
  virtual void revert(doc::Command& command) = 0;

 protected:
  ~CommandTarget() = default;
};

class DocUndoCommand : public QUndoCommand {
 public:
  // QUndoCommand::id() of every mergeable DocUndoCommand: QUndoStack calls mergeWith() only on
  // consecutive commands with the same id != -1, and mergeWith() then compares the merge keys.
  // Any fixed value unused by other QUndoCommand types would do; 0x5354 is "ST" (Strata) in ASCII.
  static constexpr int kMergeableId = 0x5354;

  // `commands` are already applied, in order (one edit, or a step kept when the stack is rebuilt);
  // `text` defaults to the last command's.
  DocUndoCommand(CommandTarget* target, std::vector<std::unique_ptr<doc::Command>> commands, MergeKey mergeKey = {},
                 const QString& text = {});

  void redo() override;
  void undo() override;
  int id() const override { return m_mergeKey ? kMergeableId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

  std::size_t byteSize() const;
  // Moves the doc::Commands out (used when the controller rebuilds its stack to trim memory).
  std::vector<std::unique_ptr<doc::Command>> takeCommands() { return std::move(m_commands); }
  MergeKey mergeKey() const { return m_mergeKey; }

 private:
  CommandTarget* m_target;
  std::vector<std::unique_ptr<doc::Command>> m_commands;
  MergeKey m_mergeKey;
  bool m_applied = true;  // the commands' effect is in the document (the first redo has nothing to do)
};

}  // namespace strata::ui
