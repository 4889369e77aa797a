// scene_batches.cpp — see scene_batches.h.
#include "scene_batches.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "strata/scenes/caption.h"
#include "strata/scenes/held_out.h"
#include "strata/scenes/render.h"
#include "init.h"

namespace strata::training {

scenes::SceneOptions training_scene_options() {
  scenes::SceneOptions options;
  options.excluded = held_out_pairs();
  return options;
}

std::uint64_t caption_seed(std::uint64_t scene_seed) { return mix_seed(scene_seed, 0xC0FFEEull); }

std::string training_caption(const scenes::Scene& scene, std::uint64_t c, float empty_share) {
  const double u = static_cast<double>(c >> 11) * 0x1.0p-53;  // uniform [0, 1)
  return u < empty_share ? std::string() : scenes::caption(scene, c);
}

SceneBatch blank_batch(std::int64_t step, int batch, int size) {
  SceneBatch out;
  out.step = step;
  out.batch = batch;
  out.size = size;
  out.rgb.resize(static_cast<std::size_t>(size) * static_cast<std::size_t>(size) * 3 * static_cast<std::size_t>(batch));
  out.captions.resize(static_cast<std::size_t>(batch));
  out.scenes.resize(static_cast<std::size_t>(batch));
  return out;
}

void for_each_item(int n, const std::function<void(int)>& fn) {
  const int workers = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, std::max(1, n));
  if (workers == 1) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(workers));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      try {
        for (int i = w; i < n; i += workers) fn(i);
      } catch (...) {
        errors[static_cast<std::size_t>(w)] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void render_item(SceneBatch& batch, int i, const scenes::Scene& scene) {
  const std::size_t plane = static_cast<std::size_t>(batch.size) * static_cast<std::size_t>(batch.size) * 3;
  const doc::Image8 image = scenes::render(scene, batch.size, batch.size);
  std::memcpy(batch.rgb.data() + plane * static_cast<std::size_t>(i), image.pixels.data(), plane);
  batch.scenes[static_cast<std::size_t>(i)] = scene;
}

SceneBatch render_batch(std::uint64_t stream, std::int64_t step, int batch, int size, float empty_share) {
  SceneBatch out = blank_batch(step, batch, size);
  const scenes::SceneOptions options = training_scene_options();
  const std::uint64_t step_seed = mix_seed(stream, static_cast<std::uint64_t>(step));
  for_each_item(batch, [&](int i) {
    const std::uint64_t seed = mix_seed(step_seed, static_cast<std::uint64_t>(i));
    const scenes::Scene scene = scenes::sample_scene(seed, options);
    render_item(out, i, scene);
    out.captions[static_cast<std::size_t>(i)] = training_caption(scene, caption_seed(seed), empty_share);
  });
  return out;
}

SceneBatchQueue::SceneBatchQueue(std::uint64_t stream, std::int64_t first, std::int64_t last, int batch, int size,
                                 float empty_share, int depth)
    : stream_(stream), next_(first), last_(last), batch_(batch), size_(size), depth_(depth),
      empty_share_(empty_share), thread_([this] { run(); }) {}

SceneBatchQueue::~SceneBatchQueue() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void SceneBatchQueue::run() {
  std::int64_t step = 0;
  {
    std::lock_guard lock(mutex_);
    step = next_;
  }
  for (; step < last_; ++step) {
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || static_cast<int>(ready_.size()) < depth_; });
      if (stop_) return;
    }
    SceneBatch b = render_batch(stream_, step, batch_, size_, empty_share_);
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(std::move(b));
    }
    changed_.notify_all();
  }
}

SceneBatch SceneBatchQueue::next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !ready_.empty(); });
  SceneBatch b = std::move(ready_.front());
  ready_.pop_front();
  lock.unlock();
  changed_.notify_all();
  return b;
}

}  // namespace strata::training
