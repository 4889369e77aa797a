#include "model_picker.h"

#include <QActionGroup>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

#include "app_settings.h"
#include "model_entry.h"
#include "named_combo.h"
#include "strata/io/default_model.h"

namespace strata::ui {

ModelPicker::ModelPicker(GenerationService* service, QWidget* parent)
    : QWidget(parent), m_service(service), m_combo(new QComboBox), m_open(new QToolButton), m_status(new QLabel),
      m_busy(new QProgressBar) {
  m_combo->setObjectName(QStringLiteral("modelCombo"));
  m_combo->setPlaceholderText(tr("No model"));
  m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_combo->setMinimumContentsLength(12);
  m_open->setText(tr("Open…"));
  m_open->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(m_open);
  connect(menu->addAction(tr("Checkpoint file (.safetensors)…")), &QAction::triggered, this, &ModelPicker::openFile);
  connect(menu->addAction(tr("Diffusers folder…")), &QAction::triggered, this, &ModelPicker::openFolder);
  menu->addSeparator();
  QAction* chooseTok = menu->addAction(tr("Tokenizer for this model…"));
  QAction* ownTok = menu->addAction(tr("Use the model's own tokenizer"));
  chooseTok->setObjectName(QStringLiteral("chooseTokenizer"));
  ownTok->setObjectName(QStringLiteral("ownTokenizer"));
  connect(chooseTok, &QAction::triggered, this, &ModelPicker::chooseTokenizer);
  connect(ownTok, &QAction::triggered, this, [this] { setTokenizerOverride(m_requested, {}); });
  connect(menu, &QMenu::aboutToShow, this, [this, chooseTok, ownTok] {
    const QString name = modelDisplayName(m_requested);
    chooseTok->setEnabled(!m_requested.isEmpty());
    chooseTok->setText(m_requested.isEmpty() ? tr("Tokenizer for this model…") : tr("Tokenizer for %1…").arg(name));
    ownTok->setEnabled(!AppSettings::tokenizerOverride(m_requested).isEmpty());
  });
  addPredictionMenu(menu);
  m_open->setMenu(menu);
  m_status->setWordWrap(true);
  m_status->setObjectName(QStringLiteral("modelStatus"));
  m_busy->setRange(0, 0);  // indeterminate until the first share of weights arrives
  m_busy->setMaximumHeight(6);
  m_busy->setTextVisible(false);
  m_busy->hide();

  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(m_combo, 1);
  row->addWidget(m_open);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(row);
  layout->addWidget(m_busy);
  layout->addWidget(m_status);

  connect(m_combo, &QComboBox::activated, this, [this](int index) {
    const QString path = m_combo->itemData(index).toString();
    if (path != m_loaded) loadModel(path);
  });
  if (!m_service) {
    m_status->setText(tr("Generation is not available in this build."));
    setEnabled(false);
    return;
  }
  addDefaultModel();
  connect(m_service, &GenerationService::modelInspected, this, [this](const ModelDescription& d) {
    const int i = m_combo->findData(d.path);
    if (i < 0) return;
    m_combo->setItemData(i, d.runnable ? d.path : d.reason, Qt::ToolTipRole);
    if (d.path == m_loaded) return;  // the loaded model's entry says what it was loaded as
    m_combo->setItemText(i, modelEntryText(d) + (d.path == m_default ? tr(" (embedded)") : QString()));
  });
  connect(m_service, &GenerationService::modelLoadProgress, this, [this](const QString& path, double share) {
    if (path != m_loading) return;
    m_busy->setRange(0, 100);
    m_busy->setValue(static_cast<int>(share * 100.0 + 0.5));
  });
  connect(m_service, &GenerationService::modelLoading, this, [this](const QString& path) {
    m_loading = path;
    m_busy->setRange(0, 0);
    m_busy->show();
    m_status->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  });
  connect(m_service, &GenerationService::modelLoaded, this, [this](const ModelDescription& d) {
    m_busy->hide();
    m_loaded = d.path;
    const int i = addModel(d.path);
    m_combo->setCurrentIndex(i);
    m_combo->setItemText(i, modelEntryText(d) + (d.path == m_default ? tr(" (embedded)") : QString()));
    QString status = modelStatusText(d, AppSettings::predictionOverride(d.path).has_value());
    const QString tokenizer = AppSettings::tokenizerOverride(d.path);
    if (!tokenizer.isEmpty()) status += tr(" · tokenizer %1").arg(QFileInfo(tokenizer).fileName());
    m_status->setText(status);
    if (d.path == m_startFallback) m_startFallback.clear();
    QSettings().setValue(QStringLiteral("models/last"), d.path);
  });
  connect(m_service, &GenerationService::modelFailed, this, [this](const QString& path, const QString& message) {
    m_busy->hide();
    m_combo->setCurrentIndex(m_combo->findData(m_loaded));
    const QString text = tr("Cannot load %1: %2").arg(QFileInfo(path).fileName(), message);
    if (path == m_startFallback && m_loaded.isEmpty() && !m_default.isEmpty() && path != m_default) {
      m_startFallback.clear();  // the previous session's model is broken: start with the embedded one
      Q_EMIT errorOccurred(tr("%1 — using the embedded model instead").arg(text));
      loadModel(m_default);
      return;
    }
    m_status->setText(m_loaded.isEmpty() ? text : tr("%1 (still using %2)").arg(text, QFileInfo(m_loaded).fileName()));
    Q_EMIT errorOccurred(text);
  });
}

QString ModelPicker::statusText() const { return m_status->text(); }

void ModelPicker::addDefaultModel() {
  const auto found = io::find_default_model();
  if (!found || !m_service) return;
  m_default = QString::fromStdString(found->string());
  const int i = addModel(m_default);
  if (m_combo->itemText(i) == modelDisplayName(m_default)) m_combo->setItemText(i, tr("%1 (embedded)").arg(m_combo->itemText(i)));
}

int ModelPicker::addModel(const QString& path) {
  const int existing = m_combo->findData(path);
  if (existing >= 0) return existing;
  m_combo->addItem(modelDisplayName(path), path);
  if (m_service) m_service->inspectModels({path});
  return m_combo->count() - 1;
}

void ModelPicker::scanFolder(const QString& folder) {
  if (folder.isEmpty()) return;
  const QDir dir(folder);
  for (const QFileInfo& f : dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
    const bool file = f.isFile() && f.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) == 0;
    const bool diffusers = f.isDir() && QFileInfo::exists(f.filePath() + QStringLiteral("/model_index.json"));
    if (file || diffusers) addModel(f.absoluteFilePath());
  }
}

void ModelPicker::loadModel(const QString& path) {
  if (!m_service || path.isEmpty()) return;
  m_combo->setCurrentIndex(addModel(path));
  m_requested = path;
  EngineOptions options = m_options;
  options.tokenizer = AppSettings::tokenizerOverride(path);
  options.prediction = AppSettings::predictionOverride(path);
  m_service->loadModel(path, options);
}

void ModelPicker::loadAtStart(const QString& last) {
  if (last.isEmpty() || !QFileInfo::exists(last)) {  // first start, or the file was removed
    loadModel(m_default);
    return;
  }
  m_startFallback = last;
  loadModel(last);
}

void ModelPicker::setTokenizerOverride(const QString& model, const QString& tokenizer) {
  if (model.isEmpty()) return;
  AppSettings::setTokenizerOverride(model, tokenizer);
  loadModel(model);
}

void ModelPicker::setPredictionOverride(const QString& model, std::optional<diffusion::Prediction> prediction) {
  if (model.isEmpty()) return;
  AppSettings::setPredictionOverride(model, prediction);
  loadModel(model);
}

void ModelPicker::addPredictionMenu(QMenu* menu) {
  QMenu* sub = menu->addMenu(tr("Prediction type"));
  sub->setObjectName(QStringLiteral("predictionMenu"));
  sub->setToolTip(tr("What the model's UNet predicts: SD 2.x 768 models predict v, most others ε. "
                     "Automatic reads the model's config, metadata or measures it at load."));
  sub->setToolTipsVisible(true);
  auto* group = new QActionGroup(sub);
  auto add = [&](const QString& text, const QString& id) {
    QAction* a = sub->addAction(text);
    a->setCheckable(true);
    a->setData(id);
    a->setObjectName(QStringLiteral("prediction_") + (id.isEmpty() ? QStringLiteral("auto") : id));
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, id] {
      const auto* row = doc::find_named(diffusion::kPredictions, id.toStdString());
      setPredictionOverride(m_requested, row ? std::optional(row->value) : std::nullopt);
    });
  };
  add(tr("Automatic (from the model)"), {});
  for (const auto& row : diffusion::kPredictions) {
    if (row.listed) add(qstr(row.label), qstr(row.id));
  }
  connect(menu, &QMenu::aboutToShow, this, [this, sub, group] {
    sub->setEnabled(!m_requested.isEmpty());
    const auto chosen = AppSettings::predictionOverride(m_requested);
    const QString id = chosen ? idText(diffusion::kPredictions, *chosen) : QString();
    for (QAction* a : group->actions()) a->setChecked(a->data().toString() == id);
  });
}

void ModelPicker::chooseTokenizer() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Tokenizer for %1").arg(modelDisplayName(m_requested)), QFileInfo(m_requested).absolutePath(),
      tr("Tokenizers (*.txt.gz *.model vocab.json merges.txt);;All files (*)"));
  if (!path.isEmpty()) setTokenizerOverride(m_requested, path);
}

void ModelPicker::openFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), {}, tr("Safetensors checkpoints (*.safetensors)"));
  if (!path.isEmpty()) loadModel(path);
}

void ModelPicker::openFolder() {
  const QString path = QFileDialog::getExistingDirectory(this, tr("Open diffusers model folder"));
  if (!path.isEmpty()) loadModel(path);
}

}  // namespace strata::ui
