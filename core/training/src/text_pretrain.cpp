// text_pretrain.cpp — see text_pretrain.h.
#include "text_pretrain.h"

#include "strata/diffusion/prompt.h"
#include "strata/scenes/caption.h"
#include "strata/scenes/held_out.h"
#include "init.h"
#include "optim.h"
#include "scene_batches.h"

namespace strata::training {

namespace {

constexpr int kSlots = 3;
constexpr int kCheckCaptions = 400;

// What a caption states, as class indices: [bg kind, bg colour a, bg colour b (= a when solid), (kind, colour) × 3];
// a missing shape is class `kinds` / `colours`.
std::vector<std::int64_t> targets(const scenes::Scene& s) {
  const auto kinds = static_cast<std::int64_t>(scenes::all_kinds().size());
  const auto colours = static_cast<std::int64_t>(scenes::all_colours().size());
  std::vector<std::int64_t> t{static_cast<std::int64_t>(s.bg.kind), static_cast<std::int64_t>(s.bg.a),
                              static_cast<std::int64_t>(s.bg.b)};
  for (std::size_t k = 0; k < kSlots; ++k) {
    const bool has = k < s.shapes.size();
    t.push_back(has ? static_cast<std::int64_t>(s.shapes[k].kind) : kinds);
    t.push_back(has ? static_cast<std::int64_t>(s.shapes[k].colour) : colours);
  }
  return t;
}

struct Heads : torch::nn::Module {
  std::vector<torch::nn::Linear> out;
  Heads(int width) {
    const int kinds = static_cast<int>(scenes::all_kinds().size()), colours = static_cast<int>(scenes::all_colours().size());
    std::vector<int> classes{3, colours, colours};
    for (int k = 0; k < kSlots; ++k) classes.insert(classes.end(), {kinds + 1, colours + 1});
    for (std::size_t i = 0; i < classes.size(); ++i)
      out.push_back(register_module("head" + std::to_string(i), torch::nn::Linear(width, classes[i])));
  }
  // pooled [B, W] → per head logits
  std::vector<torch::Tensor> forward(const torch::Tensor& pooled) {
    std::vector<torch::Tensor> logits;
    for (auto& h : out) logits.push_back(h->forward(pooled));
    return logits;
  }
};

}  // namespace

torch::Tensor caption_ids(const diffusion::Tokenizer& tokenizer, const std::vector<std::string>& captions) {
  std::vector<std::int64_t> ids;
  ids.reserve(captions.size() * diffusion::kChunkLength);
  for (const auto& c : captions) {
    const auto chunks = diffusion::tokenize_prompt(tokenizer, c);
    ids.insert(ids.end(), chunks.ids[0].begin(), chunks.ids[0].end());
  }
  return torch::tensor(ids, torch::kInt64).view({static_cast<int64_t>(captions.size()), diffusion::kChunkLength});
}

double pretrain_text_encoder(StageContext& ctx, diffusion::CLIPTextModel& text, const diffusion::Tokenizer& tokenizer, std::uint64_t stream) {
  const TrainOptions& o = ctx.options;
  const auto device = device_of(o);
  auto gen = make_generator(mix_seed(stream, 0x7E47ull));
  auto heads = std::make_shared<Heads>(o.text_width);
  init_parameters(*heads, gen);
  heads->to(device);
  auto params = trainable_parameters(*text);
  for (auto& p : trainable_parameters(*heads)) params.push_back(p);
  AdamW opt(params);
  const scenes::SceneOptions options = training_scene_options();
  auto read = [&](const std::vector<std::string>& captions) {
    auto context = text->forward(caption_ids(tokenizer, captions).to(device));  // [B, 77, W]
    return heads->forward(context.mean(1));
  };
  auto target_tensor = [](const std::vector<scenes::Scene>& batch) {
    std::vector<std::int64_t> t;
    for (const auto& s : batch) for (auto v : targets(s)) t.push_back(v);
    return torch::tensor(t, torch::kInt64).view({static_cast<int64_t>(batch.size()), -1});  // [B, heads]
  };
  StageClock clock;
  text->train();
  for (std::int64_t step = 0; step < o.text_pretrain_steps; ++step) {
    const std::uint64_t step_seed = mix_seed(stream, static_cast<std::uint64_t>(step) + 0x7E47ull);
    std::vector<scenes::Scene> batch;
    std::vector<std::string> captions;
    for (int i = 0; i < o.text_pretrain_batch; ++i) {
      const std::uint64_t seed = mix_seed(step_seed, static_cast<std::uint64_t>(i));
      batch.push_back(scenes::sample_scene(seed, options));
      captions.push_back(scenes::caption(batch.back(), caption_seed(seed)));
    }
    auto t = target_tensor(batch).to(device);
    auto logits = read(captions);
    torch::Tensor loss = torch::zeros({}, torch::TensorOptions().device(device));
    for (std::size_t h = 0; h < logits.size(); ++h)
      loss = loss + torch::cross_entropy_loss(logits[h].to(torch::kFloat32), t.select(1, static_cast<int64_t>(h)));
    loss.backward();
    opt.step(learning_rate(o.text_pretrain_lr, step, o.warmup_steps));
    opt.zero_grad();
    ++clock.steps;
    if (ctx.hooks.on_progress) {
      const double sps = clock.seconds_per_step();
      ctx.hooks.on_progress({"text", step + 1, o.text_pretrain_steps, loss.item<double>(), sps,
                             sps * static_cast<double>(o.text_pretrain_steps - step - 1)});
    }
  }
  // Held-out check: canonical captions of scenes with held-out (kind, colour) pairs.
  torch::NoGradGuard no_grad;
  text->eval();
  const scenes::SceneOptions held_out = scenes::held_out_scene_options();
  std::vector<scenes::Scene> batch;
  std::vector<std::string> captions;
  for (int i = 0; i < kCheckCaptions; ++i) {
    batch.push_back(scenes::sample_scene(mix_seed(stream, 0xC4ECull + static_cast<std::uint64_t>(i)), held_out));
    captions.push_back(scenes::canonical_caption(batch.back()));
  }
  auto t = target_tensor(batch).to(device);
  auto logits = read(captions);
  auto all_right = torch::ones({static_cast<int64_t>(batch.size())}, torch::TensorOptions().dtype(torch::kBool).device(device));
  for (std::size_t h = 0; h < logits.size(); ++h) {
    all_right = all_right & logits[h].argmax(1).eq(t.select(1, static_cast<int64_t>(h)));
  }
  text->train();
  return all_right.to(torch::kFloat32).mean().item<double>();
}

}  // namespace strata::training
