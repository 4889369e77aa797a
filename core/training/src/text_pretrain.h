// text_pretrain.h (private) — teaching the text encoder to read captions before the UNet
// sees it.
//
// Trained jointly from scratch, the UNet's cross-attention starts out averaging all 77 context
// positions — 60-odd of them padding — so a caption's words reach it at ~1/77 strength and the
// first model drew the same picture for every colour. This warm-up trains the text encoder alone:
// linear heads read the mean over all 77 output positions and must name the background (kind and
// both colours) and, for each shape slot in order of mention, its kind and colour (or "none").
// Afterwards every position, padding included, carries what the caption says, so even uniform
// attention hands the UNet the whole caption. The heads are discarded; the export is unchanged.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "networks/clip_text_model.h"
#include "strata/diffusion/tokenizer.h"
#include "stages.h"

namespace strata::training {

// Captions → [B, 77] ids exactly as the pipeline tokenizes a prompt (first chunk).
torch::Tensor caption_ids(const diffusion::Tokenizer& tokenizer, const std::vector<std::string>& captions);

// Runs options.text_pretrain_steps steps (progress stage "text"); returns the share of held-out
// canonical captions whose every attribute the heads read right.
double pretrain_text_encoder(StageContext& ctx, diffusion::CLIPTextModel& text, const diffusion::Tokenizer& tokenizer, std::uint64_t stream);

}  // namespace strata::training
