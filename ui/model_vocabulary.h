// model_vocabulary.h — the words a model understands, when its folder says so.
//
// A small purpose-trained model (the embedded strata-shapes) only knows the words of its training
// captions; its config.json lists them under "prompt_vocabulary" (written by strata-train):
//   "prompt_vocabulary": {"example": "a red circle on a blue background",
//                         "groups": [{"name": "shapes", "words": ["circle", …]}, …]}
// readPromptVocabulary finds config.json next to a model file (or inside a model folder); models
// without one (every Stable Diffusion checkpoint) have an empty vocabulary and get no hint.
// Reentrant: the worker calls it when describing a model, the prompt panel shows the result.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <utility>

namespace strata::ui {

struct PromptVocabulary {
  QList<std::pair<QString, QStringList>> groups;  // ("shapes", {"circle", …}), in the file's order
  QString example;                                // an example prompt it renders well
  bool empty() const { return groups.isEmpty() && example.isEmpty(); }
  bool operator==(const PromptVocabulary&) const = default;
};

PromptVocabulary readPromptVocabulary(const QString& modelPath);

// "Words this model knows — shapes: circle, square; colours: red, blue\nExample: “…”" ("" when empty).
QString vocabularyHint(const PromptVocabulary& vocabulary);

}  // namespace strata::ui
