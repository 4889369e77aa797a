#include "generation_worker.h"

#include "model_entry.h"
#include "qt_image.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"
#include "strata/generate/request.h"

namespace strata::ui {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

diffusion::PipelineOptions pipelineOptions(const QString& path, const EngineOptions& o) {
  diffusion::PipelineOptions p;
  p.model = str(path);
  p.tokenizer = str(o.tokenizer);
  if (o.previewMode == generate::PreviewMode::TAESD) p.taesd_decoder = str(o.taesdDecoder);
  p.device = o.device;
  p.precision = o.precision;
  p.threads = o.threads;
  p.prediction = o.prediction;
  return p;
}

// Family and variant, native size and prediction type of `config` into `d`.
void describeConfig(const diffusion::ModelConfig& config, ModelDescription& d) {
  d.family = QString::fromStdString(std::string(diffusion::to_string(config.family)));
  if (!config.variant.empty()) d.family += QLatin1Char(' ') + QString::fromStdString(config.variant);
  d.nativeSize = config.native_size;
  d.prediction = QString::fromStdString(std::string(diffusion::to_string(config.prediction)));
}

}  // namespace

ModelDescription describeModel(const QString& path) {
  ModelDescription d;
  d.path = path;
  d.name = modelDisplayName(path);
  try {
    const diffusion::ModelInfo info = diffusion::inspect_model(str(path));
    describeConfig(info.config, d);
    d.runnable = info.runnable;
    d.reason = QString::fromStdString(info.reason);
    d.vocabulary = readPromptVocabulary(path);
  } catch (const std::exception& e) {
    d.runnable = false;
    d.reason = QString::fromUtf8(e.what());
  }
  return d;
}

GenerationWorker::GenerationWorker(const std::atomic<quint64>* cancelId) : m_cancelId(cancelId) {}
GenerationWorker::~GenerationWorker() = default;

void GenerationWorker::loadModel(const QString& path, const EngineOptions& options) {
  try {
    diffusion::PipelineOptions po = pipelineOptions(path, options);
    po.on_load_progress = [this, path](double share) { Q_EMIT modelLoadProgress(path, share); };
    auto pipeline = diffusion::Pipeline::load(po);
    ModelDescription d = describeModel(path);
    describeConfig(pipeline->summary().config, d);  // as loaded: the user's prediction type, a measured one
    TokenizerPtr tokenizer = pipeline->tokenizer();  // the counter counts with the pipeline's own
    m_pipeline = std::move(pipeline);
    m_options = options;
    m_modelPath = path;
    Q_EMIT modelLoaded(d, tokenizer);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(path, QString::fromUtf8(e.what()));
  }
}

void GenerationWorker::run(const GenerationJob& job) {
  Q_EMIT jobStarted(job.id);
  if (!m_pipeline) {
    Q_EMIT jobFinished(job.id, JobOutcome::Failed, tr("No model is loaded: pick one in the Generation panel."));
    return;
  }
  try {
    // Image by image (seed, seed + 1, …), so that each result is delivered as soon as it is decoded.
    diffusion::GenerationRequest r = job.request.diffusion;
    r.batch_count = 1;
    diffusion::GenerationHooks hooks;
    hooks.should_cancel = [this, id = job.id] { return m_cancelId->load() == id; };
    for (int i = 0; i < std::max(1, job.request.diffusion.batch_count); ++i) {
      r.seed = job.request.diffusion.seed + i;
      hooks.on_progress = [&](const diffusion::Progress& p) {
        Q_EMIT progress(job.id, i, p.step, p.total_steps, p.seconds_per_step);
      };
      if (m_options.previewMode != generate::PreviewMode::Off) {
        hooks.on_preview = [&](const diffusion::Preview& p) { Q_EMIT preview(job.id, i, p.step, toQImage(p.image)); };
      }
      auto images = m_pipeline->generate(r, hooks);
      io::StagedImage staged{std::move(images.at(0).image), {}};
      staged.info = generate::describe(job.request, images.at(0), m_pipeline->summary(), m_pipeline->model_hash(), i);
      Q_EMIT resultReady(job.id, i, staged);
    }
    Q_EMIT jobFinished(job.id, JobOutcome::Done, {});
  } catch (const doc::Error& e) {
    const bool cancelled = e.code() == doc::ErrorCode::Cancelled;
    Q_EMIT jobFinished(job.id, cancelled ? JobOutcome::Cancelled : JobOutcome::Failed,
                       cancelled ? tr("Generation cancelled") : QString::fromUtf8(e.what()));
  } catch (const std::exception& e) {
    Q_EMIT jobFinished(job.id, JobOutcome::Failed, QString::fromUtf8(e.what()));
  }
}

}  // namespace strata::ui
