// scene_batches.h (private) — rendered scene batches, produced ahead on a background thread.
//
// Batch `step` of a stream holds `batch` scenes: item i is sample_scene(mix(stream, step, i)) with
// the held-out (kind, colour) pairs excluded, rendered at size × size, with caption(scene, …) —
// or "" for a share `empty_share` of items (classifier-free guidance). Everything is a function of
// (stream seed, step, i), so a resumed run sees exactly the batches an uninterrupted one would.
// The thread only runs strata_scenes (OpenCV, no torch) and keeps up to `depth` batches ready.
//
// Ownership: the queue owns its thread; the destructor stops and joins it. Thread-safety: next()
// from one consumer thread.
#pragma once

#include "strata/scenes/held_out.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "strata/scenes/scene.h"

namespace strata::training {

// (kind, colour) pairs never shown in training: the evaluation's held-out combinations.
using scenes::held_out_description;  // "blue star, orange square, …"
using scenes::held_out_pairs;

struct SceneBatch {
  std::int64_t step = 0;
  int batch = 0, size = 0;
  std::vector<std::uint8_t> rgb;       // [batch, size, size, 3]
  std::vector<std::string> captions;   // [batch]
  std::vector<scenes::Scene> scenes;   // [batch]: what each item shows
};

// The scenes training draws from: sample_scene options with the held-out pairs excluded.
scenes::SceneOptions training_scene_options();

// Caption seed of a scene drawn afresh from `scene_seed` (rendered batches, text warm-up).
std::uint64_t caption_seed(std::uint64_t scene_seed);

// Caption of a training item from its caption seed `c`: "" for a share `empty_share` of seeds
// (classifier-free guidance), otherwise caption(scene, c).
std::string training_caption(const scenes::Scene& scene, std::uint64_t c, float empty_share);

// An empty batch of `batch` items of size × size (pixels zero, captions empty).
SceneBatch blank_batch(std::int64_t step, int batch, int size);

// fn(0), …, fn(n - 1), spread over the machine's cores (items must be independent); the first
// exception a call throws is rethrown after all have finished.
void for_each_item(int n, const std::function<void(int)>& fn);

// Renders `scene` into item i of `batch` (items may be rendered concurrently).
void render_item(SceneBatch& batch, int i, const scenes::Scene& scene);

// One batch, rendered on the calling thread.
SceneBatch render_batch(std::uint64_t stream, std::int64_t step, int batch, int size, float empty_share);

class SceneBatchQueue {
 public:
  // Batches first, first + 1, …, last - 1.
  SceneBatchQueue(std::uint64_t stream, std::int64_t first, std::int64_t last, int batch, int size,
                  float empty_share, int depth = 3);
  ~SceneBatchQueue();
  SceneBatchQueue(const SceneBatchQueue&) = delete;
  SceneBatchQueue& operator=(const SceneBatchQueue&) = delete;

  SceneBatch next();  // blocks until the next batch is ready

 private:
  void run();

  std::uint64_t stream_;
  std::int64_t next_, last_;
  int batch_, size_, depth_;
  float empty_share_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SceneBatch> ready_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace strata::training
