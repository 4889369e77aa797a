#include "strata/doc/command.h"

namespace strata::doc {

History::History(Document& doc, std::size_t byte_budget) : doc_(doc), budget_(byte_budget) {}

void History::push_command(std::unique_ptr<Command> cmd) {
  cmd->apply(doc_);
  redo_.clear();
  undo_.push_back(std::move(cmd));
  trim();
}

void History::undo() {
  if (undo_.empty()) return;
  undo_.back()->revert(doc_);
  redo_.push_back(std::move(undo_.back()));
  undo_.pop_back();
}

void History::redo() {
  if (redo_.empty()) return;
  redo_.back()->apply(doc_);
  undo_.push_back(std::move(redo_.back()));
  redo_.pop_back();
}

std::string History::undo_text() const { return undo_.empty() ? std::string() : undo_.back()->text(); }
std::string History::redo_text() const { return redo_.empty() ? std::string() : redo_.back()->text(); }

std::vector<std::string> History::undo_texts() const {
  std::vector<std::string> out;
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) out.push_back((*it)->text());
  return out;
}

std::vector<std::string> History::redo_texts() const {
  std::vector<std::string> out;
  for (auto it = redo_.rbegin(); it != redo_.rend(); ++it) out.push_back((*it)->text());
  return out;
}

void History::set_byte_budget(std::size_t bytes) {
  budget_ = bytes;
  trim();
}

void History::clear() {
  undo_.clear();
  redo_.clear();
}

std::size_t History::byte_size() const {
  std::size_t n = 0;
  for (const auto& c : undo_) n += c->byte_size();
  for (const auto& c : redo_) n += c->byte_size();
  return n;
}

void History::trim() {
  // Redo steps are newer than every undo step, so the oldest undo steps go first.
  std::size_t bytes = byte_size();
  while (bytes > budget_ && undo_.size() > 1) {
    bytes -= undo_.front()->byte_size();
    undo_.pop_front();
  }
}

}  // namespace strata::doc
