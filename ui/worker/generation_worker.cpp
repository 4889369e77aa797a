#include "generation_worker.h"

#include <QFileInfo>
#include <cmath>

#include "qt_image.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/pipeline.h"
#include "strata/diffusion/tokenizer.h"
#include "strata/doc/error.h"
#include "strata/io/generation_inputs.h"

namespace strata::ui {

namespace {

std::string str(const QString& s) { return s.toStdString(); }

diffusion::PipelineOptions pipelineOptions(const QString& path, const EngineOptions& o) {
  diffusion::PipelineOptions p;
  p.model = str(path);
  p.tokenizer = str(o.tokenizer);
  if (o.previewMode == QLatin1String("taesd")) p.taesd_decoder = str(o.taesdDecoder);
  p.device = o.device == QLatin1String("cuda") ? diffusion::Device::CUDA : diffusion::Device::CPU;
  p.precision = o.precision == QLatin1String("bf16")   ? diffusion::Precision::BF16
                : o.precision == QLatin1String("fp16") ? diffusion::Precision::FP16
                                                       : diffusion::Precision::FP32;
  p.threads = o.threads;
  return p;
}

io::GenerationInfo resultInfo(const diffusion::GenerationRequest& r, const GenerationParams& p,
                              const diffusion::GeneratedImage& g, const doc::Rect& bbox, int index,
                              diffusion::Pipeline& pipeline) {
  io::GenerationInfo info;
  info.generator = "Strata " STRATA_VERSION;
  info.prompt = r.prompt;
  info.negative_prompt = r.negative_prompt;
  info.steps = r.steps;
  info.sampler = std::string(diffusion::to_string(r.sampler));
  info.schedule = std::string(diffusion::to_string(r.schedule));
  info.cfg_scale = std::round(static_cast<double>(r.cfg_scale) * 1000.0) / 1000.0;
  info.seed = static_cast<std::uint64_t>(g.seed);
  info.width = r.width;
  info.height = r.height;
  info.model_name = pipeline.summary().name;
  info.model_hash = pipeline.model_hash();
  info.clip_skip = r.clip_skip;
  info.strength = g.max_strength;
  info.steps_run = g.steps_run;
  info.start_sigma = g.start_sigma;
  info.batch_size = p.batchCount;
  info.batch_index = index;
  info.extra.emplace_back("Mask blur", std::to_string(r.mask_blur));
  if (!p.templateName.isEmpty()) {
    info.extra.emplace_back("Template", str(p.templateName));
    info.extra.emplace_back("User prompt", str(p.userPrompt));
    info.extra.emplace_back("User negative prompt", str(p.userNegativePrompt));
  }
  info.extra.emplace_back("Canvas origin", std::to_string(bbox.x) + " " + std::to_string(bbox.y));
  return info;
}

}  // namespace

ModelDescription describeModel(const QString& path) {
  ModelDescription d;
  d.path = path;
  d.name = QFileInfo(path).fileName();
  try {
    const diffusion::ModelInfo info = diffusion::inspect_model(str(path));
    d.family = QString::fromStdString(std::string(diffusion::to_string(info.config.family)));
    if (!info.config.variant.empty()) d.family += QLatin1Char(' ') + QString::fromStdString(info.config.variant);
    d.runnable = info.runnable;
    d.reason = QString::fromStdString(info.reason);
    d.nativeSize = info.config.native_size;
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
    TokenizerPtr tokenizer;
    try {  // the counter's tokenizer; the pipeline keeps its own
      const std::filesystem::path tok = options.tokenizer.isEmpty()
                                            ? diffusion::inspect_model(str(path)).tokenizer_dir
                                            : std::filesystem::path(str(options.tokenizer));
      if (!tok.empty()) tokenizer = diffusion::open_tokenizer(tok);  // CLIP BPE or SentencePiece
    } catch (const std::exception&) {
      tokenizer.reset();  // no counter; generation still works
    }
    m_pipeline = std::move(pipeline);
    m_options = options;
    m_modelPath = path;
    Q_EMIT modelLoaded(d, tokenizer);
  } catch (const std::exception& e) {
    Q_EMIT modelFailed(path, QString::fromUtf8(e.what()));
  }
}

diffusion::GenerationRequest GenerationWorker::makeRequest(const GenerationParams& p, const doc::Document& document) {
  diffusion::GenerationRequest r;
  r.prompt = str(p.prompt);
  r.negative_prompt = str(p.negativePrompt);
  r.steps = p.steps;
  r.cfg_scale = static_cast<float>(p.cfgScale);
  r.sampler = diffusion::parse_sampler(str(p.sampler));
  r.schedule = diffusion::parse_schedule(str(p.schedule));
  r.seed = static_cast<std::int64_t>(p.seed);
  r.batch_count = 1;
  r.clip_skip = p.clipSkip;
  r.mask_blur = p.maskBlur;
  r.scale_before_processing = p.scaleBeforeProcessing;
  io::InfillOptions infill;
  infill.method = io::parse_infill_method(str(p.infill)).value_or(io::InfillMethod::Telea);
  infill.noise_seed = p.seed;
  io::GenerationInputs in = io::generation_inputs(document, infill);
  r.width = in.bbox.width;
  r.height = in.bbox.height;
  if (in.has_content) {
    r.init_image = std::move(in.init);
    r.strength_map = std::move(in.strength);
  }
  return r;
}

void GenerationWorker::run(const GenerationJob& job) {
  Q_EMIT jobStarted(job.id);
  if (!m_pipeline) {
    Q_EMIT jobFinished(job.id, JobOutcome::Failed, tr("No model is loaded: pick one in the Generation panel."));
    return;
  }
  try {
    diffusion::GenerationRequest r = makeRequest(job.params, job.document);
    diffusion::validate_request(r);
    const doc::Rect bbox = job.document.bbox();
    diffusion::GenerationHooks hooks;
    hooks.should_cancel = [this, id = job.id] { return m_cancelId->load() == id; };
    for (int i = 0; i < std::max(1, job.params.batchCount); ++i) {
      r.seed = static_cast<std::int64_t>(job.params.seed + static_cast<quint64>(i));
      hooks.on_progress = [&](const diffusion::Progress& p) {
        Q_EMIT progress(job.id, i, p.step, p.total_steps, p.seconds_per_step);
      };
      if (m_options.previewMode != QLatin1String("off")) {
        hooks.on_preview = [&](const diffusion::Preview& p) { Q_EMIT preview(job.id, i, p.step, toQImage(p.image)); };
      }
      auto images = m_pipeline->generate(r, hooks);
      io::StagedImage staged{std::move(images.at(0).image), {}};
      staged.info = resultInfo(r, job.params, images.at(0), bbox, i, *m_pipeline);
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
