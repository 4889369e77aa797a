#include "prompt_syntax.h"

#include <QRegularExpression>
#include <QTextCharFormat>
#include <cmath>
#include <vector>

namespace strata::ui {

namespace {

bool isWordChar(QChar c) { return !(c.isSpace() || c == u',' || c == u'(' || c == u')' || c == u'[' || c == u']'); }

QString formatWeight(double w) {
  QString s = QString::number(std::round(w * 100.0) / 100.0, 'f', 2);
  while (s.endsWith(u'0')) s.chop(1);
  if (s.endsWith(u'.')) s.append(u'0');
  return s;
}

// The "(…)" group containing `pos`: [open, close] indices, or {-1, -1}.
std::pair<int, int> enclosingGroup(const QString& t, int pos) {
  int depth = 0, open = -1;
  for (int i = pos - 1; i >= 0; --i) {
    if (t[i] == u')') ++depth;
    if (t[i] == u'(') {
      if (depth == 0) {
        open = i;
        break;
      }
      --depth;
    }
  }
  if (open < 0) return {-1, -1};
  depth = 0;
  for (int i = pos; i < t.size(); ++i) {
    if (t[i] == u'(') ++depth;
    if (t[i] == u')') {
      if (depth == 0) return {open, i};
      --depth;
    }
  }
  return {-1, -1};
}

}  // namespace

WeightEdit adjustWeight(const QString& text, int start, int end, double delta) {
  WeightEdit out{text, start, end};
  if (start > end) std::swap(start, end);
  start = std::clamp(start, 0, static_cast<int>(text.size()));
  end = std::clamp(end, 0, static_cast<int>(text.size()));
  static const QRegularExpression weightTail(QStringLiteral(R"(^:\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*\))"));
  if (start == end) {
    const auto [open, close] = enclosingGroup(text, start);
    const QString inner = open >= 0 ? text.mid(open + 1, close - open - 1) : QString();
    const int colon = static_cast<int>(inner.lastIndexOf(u':'));
    if (open >= 0 && colon >= 0 && weightTail.match(inner.mid(colon) + u')').hasMatch()) {
      start = open + 1;
      end = open + 1 + colon;
    } else {
      while (start > 0 && isWordChar(text[start - 1])) --start;
      while (end < text.size() && isWordChar(text[end])) ++end;
    }
  }
  while (start < end && text[start].isSpace()) ++start;
  while (end > start && text[end - 1].isSpace()) --end;
  if (start == end) return out;

  const QRegularExpressionMatch m = weightTail.match(QStringView(text).mid(end));
  if (start > 0 && text[start - 1] == u'(' && m.hasMatch()) {
    const double w = std::round((m.captured(1).toDouble() + delta) * 100.0) / 100.0;
    const int tailEnd = end + static_cast<int>(m.capturedLength(0));
    if (std::abs(w - 1.0) < 1e-9) {
      out.text = text.left(start - 1) + text.mid(start, end - start) + text.mid(tailEnd);
      out.selectionStart = start - 1;
      out.selectionEnd = end - 1;
    } else {
      out.text = text.left(end) + u':' + formatWeight(w) + u')' + text.mid(tailEnd);
      out.selectionStart = start;
      out.selectionEnd = end;
    }
    return out;
  }
  out.text = text.left(start) + u'(' + text.mid(start, end - start) + u':' + formatWeight(1.0 + delta) + u')' +
             text.mid(end);
  out.selectionStart = start + 1;
  out.selectionEnd = end + 1;
  return out;
}

PromptHighlighter::PromptHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {}

void PromptHighlighter::highlightBlock(const QString& text) {
  // The weight of each bracket level: "(x)" 1.1, "[x]" 1/1.1, "(x:w)" w (found at the closing).
  struct Level {
    int open;
    double weight;
  };
  std::vector<Level> stack;
  QTextCharFormat number;
  number.setFontWeight(QFont::Bold);
  number.setForeground(QColor(200, 150, 255));
  QTextCharFormat bracket;
  bracket.setForeground(QColor(140, 140, 140));
  static const QRegularExpression tail(QStringLiteral(R"(:\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$)"));
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (c == u'\\') {
      ++i;
      continue;
    }
    if (c == u'(' || c == u'[') {
      stack.push_back({i, c == u'(' ? 1.1 : 1 / 1.1});
      setFormat(i, 1, bracket);
    } else if ((c == u')' || c == u']') && !stack.empty()) {
      const Level l = stack.back();
      stack.pop_back();
      double w = l.weight;
      const QString inner = text.mid(l.open + 1, i - l.open - 1);
      const QRegularExpressionMatch m = tail.match(inner);
      if (c == u')' && m.hasMatch()) w = m.captured(1).toDouble();
      for (const Level& outer : stack) w *= outer.weight;
      QTextCharFormat f;
      const double t = std::clamp(std::abs(w - 1.0) * 2.0, 0.25, 1.0);
      f.setForeground(w >= 1.0 ? QColor::fromRgbF(1.0f, static_cast<float>(0.75 - 0.35 * t), 0.25f)
                               : QColor::fromRgbF(0.35f, static_cast<float>(0.65 + 0.1 * t), 1.0f));
      const int body = m.hasMatch() && c == u')' ? static_cast<int>(m.capturedStart(0)) : static_cast<int>(inner.size());
      for (int k = 0; k < body; ++k) {
        if (format(l.open + 1 + k).hasProperty(QTextFormat::ForegroundBrush)) continue;  // inner groups keep theirs
        setFormat(l.open + 1 + k, 1, f);
      }
      if (m.hasMatch() && c == u')') setFormat(l.open + 1 + body, static_cast<int>(m.capturedLength(0)), number);
      setFormat(i, 1, bracket);
    }
  }
  static const QRegularExpression breakWord(QStringLiteral(R"(\bBREAK\b)"));
  QTextCharFormat br;
  br.setFontWeight(QFont::Bold);
  br.setForeground(QColor(255, 90, 90));
  for (auto it = breakWord.globalMatch(text); it.hasNext();) {
    const auto m = it.next();
    setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), br);
  }
}

}  // namespace strata::ui
