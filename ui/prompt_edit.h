// prompt_edit.h — a prompt editor: plain text with A1111 attention highlighting, Ctrl+Up /
// Ctrl+Down to raise / lower the weight of the selection (or the word / group at the cursor) by
// 0.1, and a token counter line under it ("12 / 75", the chunk capacity growing by 75) fed by
// setTokenCount(). Enter is left to the window (Ctrl+Enter invokes); Shift+Enter adds a line.
// UI thread only.
#pragma once

#include <QPlainTextEdit>

namespace strata::ui {

class PromptEdit : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit PromptEdit(const QString& placeholder, QWidget* parent = nullptr);

  QString text() const { return toPlainText(); }
  void setText(const QString& text);
  // Applies adjustWeight to the selection (tests call it directly).
  void changeWeight(double delta);
  QSize sizeHint() const override;

 protected:
  void keyPressEvent(QKeyEvent* event) override;
};

// "12 / 75", "80 / 150"; "— / 75" when count < 0 (no tokenizer).
QString tokenCounterText(int count);

}  // namespace strata::ui
