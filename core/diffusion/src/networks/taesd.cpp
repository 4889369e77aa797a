// Ref: madebyollin/taesd taesd.py at 5cccb12d (conv = 3×3 padding 1; Block; Clamp = tanh(x/3)·3;
// Encoder / Decoder as nn.Sequential with latent_channels = 4).
#include "networks/taesd.h"

#include <string>

namespace strata::diffusion {

namespace {

using Kind = TAESDStep::Kind;

bool can_modify_in_place() { return !torch::GradMode::is_enabled(); }

torch::Tensor relu_fresh(torch::Tensor x) { return can_modify_in_place() ? torch::relu_(x) : torch::relu(x); }

// Appends a step at the next nn.Sequential index, registering its parameters under that index.
class StepBuilder {
 public:
  StepBuilder(torch::nn::Module& owner, std::vector<TAESDStep>& steps, const torch::TensorOptions& opts)
      : owner_(owner), steps_(steps), opts_(opts) {}

  void conv(int64_t in, int64_t out, bool bias, int64_t stride, bool then_relu) {
    TAESDStep s{then_relu ? Kind::ConvRelu : Kind::Conv};
    s.conv = owner_.register_module(std::to_string(index_++), nn::Conv2d(in, out, 3, stride, 1, opts_, bias));
    if (then_relu) ++index_;  // the nn.ReLU takes the next index
    steps_.push_back(s);
  }
  void block(int64_t channels) {
    TAESDStep s{Kind::Block};
    s.block = owner_.register_module(std::to_string(index_++), TAESDBlock(channels, opts_));
    steps_.push_back(s);
  }
  void op(Kind kind) {
    ++index_;
    steps_.push_back(TAESDStep{kind});
  }

 private:
  torch::nn::Module& owner_;
  std::vector<TAESDStep>& steps_;
  torch::TensorOptions opts_;
  int index_ = 0;
};

torch::Tensor run(std::vector<TAESDStep>& steps, torch::Tensor x) {
  for (auto& s : steps) {
    switch (s.kind) {
      case Kind::Block: x = s.block->forward(x); break;
      case Kind::Conv: x = s.conv->forward(x); break;
      case Kind::ConvRelu: x = relu_fresh(s.conv->forward(x)); break;
      case Kind::Upsample: x = torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}); break;
      case Kind::Clamp: x = torch::tanh(x / 3.0) * 3.0; break;
    }
  }
  return x;
}

}  // namespace

TAESDBlockImpl::TAESDBlockImpl(int64_t channels, const torch::TensorOptions& opts) {
  auto seq = register_module("conv", std::make_shared<torch::nn::Module>("Sequential"));
  conv0 = seq->register_module("0", nn::Conv2d(channels, channels, 3, 1, 1, opts));
  conv2 = seq->register_module("2", nn::Conv2d(channels, channels, 3, 1, 1, opts));
  conv4 = seq->register_module("4", nn::Conv2d(channels, channels, 3, 1, 1, opts));
}

torch::Tensor TAESDBlockImpl::forward(const torch::Tensor& x) {
  // x: [N, C, H, W]
  auto h = relu_fresh(conv0->forward(x));
  h = relu_fresh(conv2->forward(h));
  h = conv4->forward(h);
  return relu_fresh(can_modify_in_place() ? h.add_(x) : h + x);
}

TAESDEncoderImpl::TAESDEncoderImpl(const TAESDConfig& config, const torch::TensorOptions& opts) {
  int64_t c = config.channels;
  StepBuilder b(*this, steps, opts);
  b.conv(3, c, true, 1, false);              // 0
  b.block(c);                                // 1
  for (int level = 0; level < 3; ++level) {  // 2-5, 6-9, 10-13: stride-2 conv (no bias), 3 blocks
    b.conv(c, c, false, 2, false);
    for (int i = 0; i < 3; ++i) b.block(c);
  }
  b.conv(c, config.latent_channels, true, 1, false);  // 14
}

torch::Tensor TAESDEncoderImpl::forward(const torch::Tensor& image) {
  // image: [N, 3, H, W] → [N, latent, H/8, W/8]
  return run(steps, image.to(steps.front().conv->weight.options()));
}

TAESDDecoderImpl::TAESDDecoderImpl(const TAESDConfig& config, const torch::TensorOptions& opts) {
  int64_t c = config.channels;
  StepBuilder b(*this, steps, opts);
  b.op(Kind::Clamp);                                  // 0
  b.conv(config.latent_channels, c, true, 1, true);   // 1, ReLU 2
  for (int level = 0; level < 3; ++level) {           // 3-7, 8-12, 13-17: 3 blocks, upsample, conv
    for (int i = 0; i < 3; ++i) b.block(c);
    b.op(Kind::Upsample);
    b.conv(c, c, false, 1, false);
  }
  b.block(c);                                         // 18
  b.conv(c, 3, true, 1, false);                       // 19
}

torch::Tensor TAESDDecoderImpl::forward(const torch::Tensor& latent) {
  // latent: [N, latent, h, w] → [N, 3, 8h, 8w]
  return run(steps, latent.to(steps[1].conv->weight.options()));
}

}  // namespace strata::diffusion
