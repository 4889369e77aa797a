// strata/doc/command.h — undoable edits (Command) and a bounded undo/redo stack (History).
//
// Every change a user makes to a Document is a Command. Commands find their layer by LayerId (never
// by pointer or index), so they stay valid while other commands add and remove layers. The UI wraps
// each Command in a QUndoCommand (Pencil2D's undoredocommand.h pattern); the CLI and tests use
// History. Threads: like the Document, a Command or History is used from one thread.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "strata/doc/document.h"

namespace strata::doc {

class Command {
 public:
  virtual ~Command() = default;

  // Performs the edit. The first apply validates against the document (layer exists, kind, lock,
  // ranges) and throws doc::Error *before changing anything* when it cannot be done. apply is
  // repeatable: after revert, apply (redo) reproduces the exact same state, including any ids it
  // allocated the first time.
  virtual void apply(Document& doc) = 0;
  // Undoes apply. Only called on the state the last apply produced.
  virtual void revert(Document& doc) = 0;
  // Human text for menus and history panels, e.g. `Set strength of layer 3 "sky" to 0.40`.
  // Layer names are those seen by the last apply.
  virtual std::string text() const = 0;
  // Approximate bytes this command keeps alive (tiles, layers), for History's budget.
  virtual std::size_t byte_size() const { return 256; }
};

// Owns its commands. Holds a reference to the Document, which must outlive the History.
class History {
 public:
  static constexpr std::size_t default_byte_budget = std::size_t{512} << 20;  // 512 MiB

  explicit History(Document& doc, std::size_t byte_budget = default_byte_budget);

  // Applies `cmd` and records it; clears the redo stack; then drops the oldest undo steps while
  // byte_size() exceeds the budget (the newest step is always kept). If apply throws, nothing is
  // recorded and the error propagates. The returned reference lives until the next push/clear.
  template <typename C>
  C& push(std::unique_ptr<C> cmd) {
    C& ref = *cmd;
    push_command(std::move(cmd));
    return ref;
  }
  void push_command(std::unique_ptr<Command> cmd);

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  void undo();  // no-op when !can_undo()
  void redo();  // no-op when !can_redo()
  std::string undo_text() const;  // "" when there is nothing to undo
  std::string redo_text() const;
  std::vector<std::string> undo_texts() const;  // newest first
  std::vector<std::string> redo_texts() const;  // next redo first

  std::size_t byte_size() const;  // sum of the recorded commands' byte_size()
  std::size_t byte_budget() const { return budget_; }
  void set_byte_budget(std::size_t bytes);  // trims at once
  void clear();                             // forgets all steps; the document is unchanged

  Document& document() { return doc_; }
  const Document& document() const { return doc_; }

 private:
  void trim();

  Document& doc_;
  std::size_t budget_;
  std::deque<std::unique_ptr<Command>> undo_;  // back = newest
  std::vector<std::unique_ptr<Command>> redo_;  // back = next to redo
};

}  // namespace strata::doc
