#include "prompt_edit.h"

#include <QKeyEvent>
#include <QTextBlock>

#include "prompt_syntax.h"

namespace strata::ui {

PromptEdit::PromptEdit(const QString& placeholder, QWidget* parent) : QPlainTextEdit(parent) {
  setPlaceholderText(placeholder);
  setTabChangesFocus(true);
  new PromptHighlighter(document());
}

QSize PromptEdit::sizeHint() const {
  const QSize s = QPlainTextEdit::sizeHint();
  return {s.width(), fontMetrics().lineSpacing() * 4 + 12};
}

void PromptEdit::setText(const QString& text) {
  if (text != toPlainText()) setPlainText(text);
}

void PromptEdit::changeWeight(double delta) {
  QTextCursor c = textCursor();
  const WeightEdit e = adjustWeight(toPlainText(), c.selectionStart(), c.selectionEnd(), delta);
  if (e.text == toPlainText()) return;
  // One undo step in the editor: replace the whole text inside an edit block.
  c.beginEditBlock();
  c.select(QTextCursor::Document);
  c.insertText(e.text);
  c.endEditBlock();
  c.setPosition(e.selectionStart);
  c.setPosition(e.selectionEnd, QTextCursor::KeepAnchor);
  setTextCursor(c);
}

void PromptEdit::keyPressEvent(QKeyEvent* event) {
  const bool ctrl = event->modifiers() & Qt::ControlModifier;
  if (ctrl && (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down)) {
    changeWeight(event->key() == Qt::Key_Up ? 0.1 : -0.1);
    event->accept();
    return;
  }
  if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && ctrl) {
    event->ignore();  // the window's Invoke shortcut
    return;
  }
  QPlainTextEdit::keyPressEvent(event);
}

QString tokenCounterText(int count) {
  if (count < 0) return QStringLiteral("— / 75");
  const int capacity = 75 * ((std::max(count, 1) + 74) / 75);
  return QStringLiteral("%1 / %2").arg(count).arg(capacity);
}

}  // namespace strata::ui
