#include "prompt_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "document_controller.h"
#include "generation_controller.h"
#include "model_picker.h"
#include "named_combo.h"
#include "prompt_edit.h"
#include "template_store.h"

namespace strata::ui {

namespace {

// The samplers or schedules Strata runs, labelled with A1111's names.
template <typename Rows>
void fillRunnable(QComboBox* box, const Rows& rows) {
  for (const auto& row : rows) {
    if (row.kind) box->addItem(qstr(row.a1111), qstr(row.id));
  }
}

std::string comboId(const QComboBox* box) { return box->currentData().toString().toStdString(); }

QString promptPlaceholder() { return PromptPanel::tr("Prompt — what to generate. (word:1.2) weights, Ctrl+↑/↓"); }

}  // namespace

PromptPanel::PromptPanel(DocumentController* document, GenerationController* generation, TemplateStore* templates,
                         QWidget* parent)
    : QWidget(parent), m_document(document), m_generation(generation), m_templates(templates),
      m_model(new ModelPicker(generation->service())), m_template(new QComboBox),
      m_prompt(new PromptEdit(promptPlaceholder())),
      m_negative(new PromptEdit(tr("Negative prompt — what to avoid"))), m_tokens(new QLabel), m_negTokens(new QLabel),
      m_vocabulary(new QLabel),
      m_invoke(new QPushButton(tr("Invoke"))), m_cancel(new QPushButton(tr("Cancel"))), m_progress(new QProgressBar),
      m_progressText(new QLabel), m_tokenTimer(new QTimer(this)) {
  setObjectName(QStringLiteral("promptPanel"));
  m_prompt->setObjectName(QStringLiteral("prompt"));
  m_negative->setObjectName(QStringLiteral("negativePrompt"));
  m_template->setObjectName(QStringLiteral("templateCombo"));
  auto* pick = new QToolButton;
  pick->setText(QStringLiteral("…"));
  pick->setToolTip(tr("Browse, search and edit prompt templates"));
  connect(pick, &QToolButton::clicked, this, &PromptPanel::templatesRequested);
  auto* templateRow = new QHBoxLayout;
  templateRow->addWidget(new QLabel(tr("Template")));
  templateRow->addWidget(m_template, 1);
  templateRow->addWidget(pick);
  for (QLabel* l : {m_tokens, m_negTokens}) {
    l->setAlignment(Qt::AlignRight);
    l->setToolTip(tr("Prompt tokens / capacity: CLIP reads 75 tokens per chunk"));
  }

  m_invoke->setObjectName(QStringLiteral("invokeButton"));
  m_invoke->setToolTip(tr("Generate into the bbox (Ctrl+Enter)"));
  m_invoke->setMinimumHeight(34);
  m_cancel->setToolTip(tr("Stop the running generation (Esc)"));
  m_cancel->setEnabled(false);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_invoke, 3);
  buttons->addWidget(m_cancel, 1);
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_progress->setTextVisible(false);
  m_progress->setMaximumHeight(8);
  m_progressText->setObjectName(QStringLiteral("progressText"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_model);
  layout->addLayout(templateRow);
  layout->addWidget(m_prompt, 2);
  layout->addWidget(m_tokens);
  layout->addWidget(m_vocabulary);
  layout->addWidget(m_negative, 1);
  layout->addWidget(m_negTokens);
  layout->addWidget(buildParameters());
  layout->addLayout(buttons);
  layout->addWidget(m_progress);
  layout->addWidget(m_progressText);
  layout->addStretch();

  m_tokenTimer->setSingleShot(true);
  m_tokenTimer->setInterval(150);
  connect(m_tokenTimer, &QTimer::timeout, this, &PromptPanel::refreshTokenCounts);
  for (PromptEdit* e : {m_prompt, m_negative}) connect(e, &QPlainTextEdit::textChanged, m_tokenTimer, qOverload<>(&QTimer::start));
  connect(m_template, &QComboBox::currentIndexChanged, m_tokenTimer, qOverload<>(&QTimer::start));
  connect(m_templates, &TemplateStore::changed, this, &PromptPanel::reloadTemplates);
  connect(m_invoke, &QPushButton::clicked, this, &PromptPanel::invoke);
  connect(m_cancel, &QPushButton::clicked, m_generation, &GenerationController::cancel);
  connect(m_generation, &GenerationController::progressChanged, this, &PromptPanel::showProgress);
  connect(m_document, &DocumentController::bboxChanged, this, &PromptPanel::updateSizeNote);
  connect(m_document, &DocumentController::documentReset, this, &PromptPanel::loadFromSettings);
  if (GenerationService* s = generation->service()) {
    connect(s, &GenerationService::modelLoaded, this, &PromptPanel::refreshTokenCounts);
    connect(s, &GenerationService::modelLoaded, this,
            [this](const ModelDescription& d) { showVocabulary(d.vocabulary); });
  }
  m_vocabulary->setObjectName(QStringLiteral("vocabularyHint"));
  m_vocabulary->setWordWrap(true);
  m_vocabulary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_vocabulary->setStyleSheet(QStringLiteral("color: palette(mid);"));
  m_vocabulary->hide();
  reloadTemplates();
  updateSizeNote();
  refreshTokenCounts();
}

QWidget* PromptPanel::buildParameters() {
  auto* box = new QGroupBox(tr("Parameters"));
  auto* form = new QFormLayout(box);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  m_seed = new QSpinBox;
  m_seed->setRange(0, std::numeric_limits<int>::max());
  m_random = new QCheckBox(tr("Random"));
  m_random->setChecked(true);
  m_seed->setEnabled(false);
  connect(m_random, &QCheckBox::toggled, m_seed, [this](bool on) { m_seed->setEnabled(!on); });
  auto* reuse = new QToolButton;
  reuse->setText(QStringLiteral("♻"));
  reuse->setToolTip(tr("Reuse the last seed"));
  connect(reuse, &QToolButton::clicked, this, [this] {
    if (m_lastSeed < 0) return;
    m_random->setChecked(false);
    m_seed->setValue(static_cast<int>(m_lastSeed));
  });
  auto* seedRow = new QHBoxLayout;
  seedRow->addWidget(m_seed, 1);
  seedRow->addWidget(m_random);
  seedRow->addWidget(reuse);
  form->addRow(tr("Seed"), seedRow);
  m_steps = new QSpinBox;
  m_steps->setRange(1, 150);
  m_steps->setValue(20);
  form->addRow(tr("Steps"), m_steps);
  m_cfg = new QDoubleSpinBox;
  m_cfg->setRange(1, 30);
  m_cfg->setSingleStep(0.5);
  m_cfg->setValue(7.5);
  form->addRow(tr("CFG scale"), m_cfg);
  m_sampler = new QComboBox;
  fillRunnable(m_sampler, doc::sampler_names());
  m_schedule = new QComboBox;
  fillRunnable(m_schedule, doc::schedule_names());
  m_convention = new QComboBox;
  fillCombo(m_convention, doc::kConventions);
  m_convention->setToolTip(tr("Whose numbers to reproduce: diffusers/InvokeAI or A1111 (k-diffusion σ); dpm_2 needs A1111"));
  auto* samplerRow = new QHBoxLayout;
  samplerRow->addWidget(m_sampler, 2);
  samplerRow->addWidget(m_schedule, 1);
  samplerRow->addWidget(m_convention, 1);
  form->addRow(tr("Sampler"), samplerRow);
  m_size = new QLabel;
  form->addRow(tr("Size"), m_size);
  m_clipSkip = new QSpinBox;
  m_clipSkip->setRange(1, 12);
  m_batch = new QSpinBox;
  m_batch->setRange(1, 32);
  auto* row = new QHBoxLayout;
  row->addWidget(m_clipSkip);
  row->addWidget(new QLabel(tr("Batch")));
  row->addWidget(m_batch);
  form->addRow(tr("Clip skip"), row);
  auto* strength = new QLabel(tr("Strength comes from each layer's slider and the inpaint masks."));
  strength->setWordWrap(true);
  strength->setStyleSheet(QStringLiteral("color: palette(mid);"));
  form->addRow(tr("Strength"), strength);
  m_maskBlur = new QSpinBox;
  m_maskBlur->setRange(0, 64);
  m_maskBlur->setValue(4);
  m_maskBlur->setToolTip(tr("Blur (σ, px) of the paste-back edge; 0 keeps untouched pixels exact"));
  m_infill = new QComboBox;
  fillCombo(m_infill, io::kInfillMethods);
  m_infill->setToolTip(tr("How empty canvas inside the bbox is pre-filled (outpainting)"));
  auto* pasteRow = new QHBoxLayout;
  pasteRow->addWidget(m_maskBlur);
  pasteRow->addWidget(new QLabel(tr("Infill")));
  pasteRow->addWidget(m_infill);
  form->addRow(tr("Mask blur"), pasteRow);
  m_scaleBefore = new QCheckBox(tr("Scale to the model's size"));
  m_scaleBefore->setToolTip(tr("Generate at about the model's native size, then resize to the bbox (InvokeAI's canvas)"));
  m_scaleBefore->setChecked(true);
  form->addRow(QString(), m_scaleBefore);
  m_vaeTiling = new QComboBox;
  m_vaeTiling->setObjectName(QStringLiteral("vaeTiling"));
  fillCombo(m_vaeTiling, generate::kVaeTilings);
  m_vaeTiling->setToolTip(tr("Encode and decode the image in tiles: less memory for large images (SDXL at 1024² "
                             "and up), slower. Automatic tiles above a size."));
  form->addRow(tr("VAE tiling"), m_vaeTiling);
  m_colorMatch = new QCheckBox(tr("Match colours at the seam"));
  m_colorMatch->setObjectName(QStringLiteral("colorMatch"));
  m_colorMatch->setToolTip(tr("Shift the repainted pixels' colours to the original's around the mask edge, "
                              "so inpainting and outpainting leave no colour seam (A1111's colour correction)"));
  m_colorMatch->setChecked(true);
  form->addRow(QString(), m_colorMatch);
  return box;
}

void PromptPanel::reloadTemplates() {
  const QString current = templateName();
  m_template->blockSignals(true);
  m_template->clear();
  m_template->addItem(tr("No template"), QString());
  for (const TemplateEntry& e : m_templates->templates()) {
    const QString name = QString::fromStdString(e.value.name);
    m_template->addItem(e.builtin ? name : name + QStringLiteral(" ★"), name);
  }
  m_template->blockSignals(false);
  setTemplateName(current);
}

QString PromptPanel::templateName() const { return m_template->currentData().toString(); }

void PromptPanel::setTemplateName(const QString& name) {
  const int i = m_template->findData(name);
  m_template->setCurrentIndex(std::max(0, i));
}

generate::GenerationSettings PromptPanel::settings(bool resolveSeed) {
  generate::GenerationSettings p;
  p.prompt = m_prompt->text().toStdString();
  p.negative_prompt = m_negative->text().toStdString();
  if (const TemplateEntry* t = m_templates->find(templateName())) p.style = t->value;
  if (resolveSeed && m_random->isChecked()) m_seed->setValue(static_cast<int>(QRandomGenerator::global()->bounded(1u << 31)));
  p.seed = m_seed->value();
  p.steps = m_steps->value();
  p.cfg_scale = static_cast<float>(m_cfg->value());
  p.sampler = doc::parse_sampler(comboId(m_sampler));
  p.schedule = doc::parse_schedule(comboId(m_schedule));
  p.convention = comboValue(m_convention, doc::kConventions, "convention");
  p.clip_skip = m_clipSkip->value();
  p.batch_count = m_batch->value();
  p.mask_blur = m_maskBlur->value();
  p.infill = comboValue(m_infill, io::kInfillMethods, "infill");
  p.scale_before_processing = m_scaleBefore->isChecked();
  p.vae_tiling = comboValue(m_vaeTiling, generate::kVaeTilings, "VAE tiling");
  p.color_match = m_colorMatch->isChecked();
  return p;
}

quint64 PromptPanel::invoke() {
  const generate::GenerationSettings p = settings(true);
  const quint64 id = m_generation->invoke(p);
  if (id == 0) return 0;
  m_lastSeed = p.seed;
  m_document->setSettings(generate::record_settings(p, m_document->settings()));
  m_document->setTemplateName(p.style ? p.style->name : std::string());
  return id;
}

void PromptPanel::recall(const io::GenerationInfo& info) {
  const std::string* user = info.find_extra("User prompt");
  const std::string* userNeg = info.find_extra("User negative prompt");
  const std::string* tmpl = info.find_extra("Template");
  const bool viaTemplate = user && tmpl && m_templates->find(QString::fromStdString(*tmpl));
  m_prompt->setText(QString::fromStdString(viaTemplate ? *user : info.prompt));
  m_negative->setText(QString::fromStdString(viaTemplate && userNeg ? *userNeg : info.negative_prompt));
  setTemplateName(viaTemplate ? QString::fromStdString(*tmpl) : QString());
  if (info.seed) {
    m_random->setChecked(false);
    m_seed->setValue(static_cast<int>(*info.seed & 0x7fffffff));
  }
  if (info.steps) m_steps->setValue(*info.steps);
  if (info.cfg_scale) m_cfg->setValue(*info.cfg_scale);
  if (const int i = m_sampler->findData(QString::fromStdString(info.sampler)); i >= 0) m_sampler->setCurrentIndex(i);
  if (const int i = m_schedule->findData(QString::fromStdString(info.schedule)); i >= 0) m_schedule->setCurrentIndex(i);
  m_clipSkip->setValue(info.clip_skip.value_or(1));  // A1111 and Strata omit clip skip 1
  if (const std::string* c = info.find_extra("Strength convention")) {
    if (const auto* row = doc::find_named(doc::kConventions, *c)) selectComboValue(m_convention, doc::kConventions, row->value);
  }
  if (const std::string* tiling = info.find_extra("VAE tiling")) {
    if (const auto* row = doc::find_named(generate::kVaeTilings, *tiling)) selectComboValue(m_vaeTiling, generate::kVaeTilings, row->value);
  }
  if (const std::string* blur = info.find_extra("Mask blur")) m_maskBlur->setValue(QString::fromStdString(*blur).toInt());
}

void PromptPanel::loadFromSettings() {
  recall(m_document->settings());
  if (!m_document->templateName().empty()) setTemplateName(QString::fromStdString(m_document->templateName()));
}

void PromptPanel::refreshTokenCounts() {
  GenerationService* s = m_generation->service();
  const generate::GenerationSettings p = settings(false);
  const io::TemplatedPrompts final = generate::final_prompts(p);
  const QString prompt = QString::fromStdString(final.positive), negative = QString::fromStdString(final.negative);
  m_tokens->setText(tokenCounterText(s ? s->countTokens(prompt) : -1));
  m_negTokens->setText(tokenCounterText(s ? s->countTokens(negative) : -1));
  m_template->setToolTip(!p.style ? tr("No template") : tr("Final prompt: %1\nFinal negative: %2").arg(prompt, negative));
}

void PromptPanel::showVocabulary(const PromptVocabulary& vocabulary) {
  const QString hint = vocabularyHint(vocabulary);
  m_vocabulary->setText(hint);
  m_vocabulary->setVisible(!hint.isEmpty());
  m_prompt->setPlaceholderText(vocabulary.example.isEmpty() ? promptPlaceholder() : tr("e.g. %1").arg(vocabulary.example));
  m_prompt->setToolTip(hint);
}

void PromptPanel::updateSizeNote() {
  const doc::Rect& b = m_document->document().bbox();
  m_size->setText(tr("%1 × %2 (the bbox)").arg(b.width).arg(b.height));
}

void PromptPanel::showProgress(const GenerationProgress& p) {
  m_cancel->setEnabled(p.running && !p.cancelling);
  m_progress->setRange(0, std::max(1, p.totalSteps * p.images));
  m_progress->setValue(p.running ? p.image * p.totalSteps + p.step : 0);
  m_progressText->setText(p.text());
}

}  // namespace strata::ui
