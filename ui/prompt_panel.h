// prompt_panel.h — the Generation dock: model row, prompt template, positive and negative prompt
// editors with token counters, seed (random / reuse last; image i of a batch uses seed + i),
// steps, CFG scale, sampler and schedule, the size (= the bbox), clip skip, batch count, a note on
// where strength comes from, VAE tiling (automatic above a size, always, never); under the prompt, the words a small model knows (its config.json's
// prompt_vocabulary, the embedded model's) with an example prompt, also as the prompt's placeholder; paste-back options, the Invoke / Cancel buttons and the progress bar
// (step, s/step, ETA). settings() is what an invocation sends (typed; the template is applied when the request is built).
// Recall (a gallery item, a dropped PNG's parameters) fills every field from a GenerationInfo.
// The document's settings are read when it is opened and written at each invocation, so a project
// remembers its last prompt. UI thread only.
#pragma once

#include <QWidget>

#include "generation_service.h"
#include "strata/io/generation_info.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace strata::ui {

class DocumentController;
class GenerationController;
class ModelPicker;
class PromptEdit;
class TemplateStore;
struct GenerationProgress;

class PromptPanel : public QWidget {
  Q_OBJECT
 public:
  PromptPanel(DocumentController* document, GenerationController* generation, TemplateStore* templates,
              QWidget* parent = nullptr);

  // The parameters of the next invocation; a random seed is drawn when `resolveSeed`.
  generate::GenerationSettings settings(bool resolveSeed = false);
  quint64 invoke();
  void recall(const io::GenerationInfo& info);
  QString templateName() const;
  void setTemplateName(const QString& name);  // "" = none
  void refreshTokenCounts();

  ModelPicker* modelPicker() const { return m_model; }
  PromptEdit* promptEdit() const { return m_prompt; }
  PromptEdit* negativeEdit() const { return m_negative; }
  QComboBox* templateCombo() const { return m_template; }
  QSpinBox* seedSpin() const { return m_seed; }
  QCheckBox* randomSeedBox() const { return m_random; }
  QSpinBox* stepsSpin() const { return m_steps; }
  QDoubleSpinBox* cfgSpin() const { return m_cfg; }
  QComboBox* samplerCombo() const { return m_sampler; }
  QComboBox* scheduleCombo() const { return m_schedule; }
  QComboBox* conventionCombo() const { return m_convention; }
  QSpinBox* clipSkipSpin() const { return m_clipSkip; }
  QSpinBox* batchSpin() const { return m_batch; }
  QSpinBox* maskBlurSpin() const { return m_maskBlur; }
  QComboBox* vaeTilingCombo() const { return m_vaeTiling; }
  QPushButton* invokeButton() const { return m_invoke; }
  QPushButton* cancelButton() const { return m_cancel; }
  QProgressBar* progressBar() const { return m_progress; }
  QLabel* progressLabel() const { return m_progressText; }
  QLabel* tokenLabel() const { return m_tokens; }
  QLabel* negativeTokenLabel() const { return m_negTokens; }
  QLabel* vocabularyLabel() const { return m_vocabulary; }
  qint64 lastSeed() const { return m_lastSeed; }

 Q_SIGNALS:
  void templatesRequested();  // the "…" button: open the template picker

 private:
  QWidget* buildParameters();
  void reloadTemplates();
  void showProgress(const GenerationProgress& p);
  void updateSizeNote();
  void loadFromSettings();
  void showVocabulary(const PromptVocabulary& vocabulary);  // the loaded model's words, if it lists them

  DocumentController* m_document;
  GenerationController* m_generation;
  TemplateStore* m_templates;
  ModelPicker* m_model;
  QComboBox* m_template;
  PromptEdit* m_prompt;
  PromptEdit* m_negative;
  QLabel* m_tokens;
  QLabel* m_negTokens;
  QLabel* m_vocabulary;
  QSpinBox* m_seed;
  QCheckBox* m_random;
  QSpinBox* m_steps;
  QDoubleSpinBox* m_cfg;
  QComboBox* m_sampler;
  QComboBox* m_schedule;
  QComboBox* m_convention;
  QLabel* m_size;
  QSpinBox* m_clipSkip;
  QSpinBox* m_batch;
  QSpinBox* m_maskBlur;
  QComboBox* m_infill;
  QCheckBox* m_scaleBefore;
  QComboBox* m_vaeTiling;
  QCheckBox* m_colorMatch;
  QPushButton* m_invoke;
  QPushButton* m_cancel;
  QProgressBar* m_progress;
  QLabel* m_progressText;
  QTimer* m_tokenTimer;
  qint64 m_lastSeed = -1;
};

}  // namespace strata::ui
