// prompt_syntax.h — editing helpers for A1111 attention syntax in the prompt editors.
//
// adjustWeight is A1111's edit-attention (Ctrl+Up / Ctrl+Down): with no selection it takes the
// "(text:w)" group around the cursor, else the word under it; a selection already written as
// "(text:w)" gets w ± delta (the parentheses go when w reaches 1), anything else is wrapped as
// "(text:1.1)" / "(text:0.9)". Weights are rounded to two decimals. The result keeps the same text
// selected. PromptHighlighter colours weighted groups (warm above 1, cool below), their weights
// and BREAK. UI thread only; adjustWeight is a pure function.
#pragma once

#include <QString>
#include <QSyntaxHighlighter>

namespace strata::ui {

struct WeightEdit {
  QString text;
  int selectionStart = 0;
  int selectionEnd = 0;
};

WeightEdit adjustWeight(const QString& text, int selectionStart, int selectionEnd, double delta);

class PromptHighlighter : public QSyntaxHighlighter {
  Q_OBJECT
 public:
  explicit PromptHighlighter(QTextDocument* document);

 protected:
  void highlightBlock(const QString& text) override;
};

}  // namespace strata::ui
