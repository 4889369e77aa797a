// The one diffusers ↔ single-file name table. Both directions read the same rules.
//
// Ref: diffusers v0.27.2 scripts/convert_diffusers_to_original_stable_diffusion.py
// (unet_conversion_map*, vae_conversion_map*), generalised from its hard-coded 4 levels × 2 res
// blocks to the counts in DiffusersLayout, plus the pre-0.14 VAE attention names
// (query/key/value/proj_attn) and SDXL's add_embedding.
#include "models/diffusers_names.h"

#include <algorithm>
#include <charconv>
#include <span>

namespace strata::diffusion::models {

namespace {

// What follows a block prefix: either identical names, or one of the leaf tables below.
enum class Leaf { Same, UNetResNet, VAEResNet, VAEAttention };

struct Rule {
  std::string single;     // prefix relative to the component prefix, ends with '.' (or empty)
  std::string diffusers;  // same, diffusers side
  Leaf leaf = Leaf::Same;
};

struct LeafName {
  std::string_view single;
  std::string_view diffusers;  // canonical (what we write)
  std::string_view legacy;     // older diffusers spelling, read only
  bool conv1x1 = false;        // weight is [C, C] in diffusers, [C, C, 1, 1] in single files
};

// ── the table ────────────────────────────────────────────────────────────────────────────────
constexpr LeafName kUNetResNet[] = {
    {"in_layers.0", "norm1", {}},       {"in_layers.2", "conv1", {}},         {"out_layers.0", "norm2", {}},
    {"out_layers.3", "conv2", {}},      {"emb_layers.1", "time_emb_proj", {}}, {"skip_connection", "conv_shortcut", {}},
};
constexpr LeafName kVAEResNet[] = {
    {"nin_shortcut", "conv_shortcut", {}},
};
constexpr LeafName kVAEAttention[] = {
    {"norm", "group_norm", {}},          {"q", "to_q", "query", true}, {"k", "to_k", "key", true},
    {"v", "to_v", "value", true},        {"proj_out", "to_out.0", "proj_attn", true},
};

std::string str(int i) { return std::to_string(i); }

std::vector<Rule> unet_rules(const DiffusersLayout& l) {
  std::vector<Rule> r = {
      {"time_embed.0.", "time_embedding.linear_1."}, {"time_embed.2.", "time_embedding.linear_2."},
      {"label_emb.0.0.", "add_embedding.linear_1."}, {"label_emb.0.2.", "add_embedding.linear_2."},
      {"input_blocks.0.0.", "conv_in."},             {"out.0.", "conv_norm_out."},
      {"out.2.", "conv_out."},
      {"middle_block.0.", "mid_block.resnets.0.", Leaf::UNetResNet},
      {"middle_block.1.", "mid_block.attentions.0."},
      {"middle_block.2.", "mid_block.resnets.1.", Leaf::UNetResNet},
  };
  const int per_level = l.unet_res_blocks + 1;  // ldm blocks per level (res blocks + down/upsample)
  auto has = [](const std::vector<bool>& v, int i) { return i < static_cast<int>(v.size()) && v[i]; };
  for (int i = 0; i < l.unet_levels; ++i) {
    const std::string down = "down_blocks." + str(i) + ".";
    const std::string up = "up_blocks." + str(i) + ".";
    for (int j = 0; j < l.unet_res_blocks; ++j) {
      const std::string in = "input_blocks." + str(per_level * i + j + 1) + ".";
      r.push_back({in + "0.", down + "resnets." + str(j) + ".", Leaf::UNetResNet});
      if (has(l.unet_down_attention, i)) r.push_back({in + "1.", down + "attentions." + str(j) + "."});
    }
    if (i < l.unet_levels - 1) {
      r.push_back({"input_blocks." + str(per_level * (i + 1)) + ".0.op.", down + "downsamplers.0.conv."});
    }
    for (int j = 0; j < per_level; ++j) {
      const std::string out = "output_blocks." + str(per_level * i + j) + ".";
      r.push_back({out + "0.", up + "resnets." + str(j) + ".", Leaf::UNetResNet});
      if (has(l.unet_up_attention, i)) r.push_back({out + "1.", up + "attentions." + str(j) + "."});
    }
    if (i < l.unet_levels - 1) {
      const int slot = has(l.unet_up_attention, i) ? 2 : 1;
      r.push_back({"output_blocks." + str(per_level * i + l.unet_res_blocks) + "." + str(slot) + ".",
                   up + "upsamplers.0."});
    }
  }
  return r;
}

std::vector<Rule> vae_rules(const DiffusersLayout& l) {
  std::vector<Rule> r = {{"quant_conv.", "quant_conv."}, {"post_quant_conv.", "post_quant_conv."}};
  for (std::string side : {"encoder.", "decoder."}) {
    r.push_back({side + "conv_in.", side + "conv_in."});
    r.push_back({side + "conv_out.", side + "conv_out."});
    r.push_back({side + "norm_out.", side + "conv_norm_out."});
    r.push_back({side + "mid.block_1.", side + "mid_block.resnets.0.", Leaf::VAEResNet});
    r.push_back({side + "mid.block_2.", side + "mid_block.resnets.1.", Leaf::VAEResNet});
    r.push_back({side + "mid.attn_1.", side + "mid_block.attentions.0.", Leaf::VAEAttention});
  }
  for (int i = 0; i < l.vae_levels; ++i) {
    const std::string down = "encoder.down." + str(i) + ".";
    const std::string hf_down = "encoder.down_blocks." + str(i) + ".";
    for (int j = 0; j < l.vae_res_blocks; ++j) {
      r.push_back({down + "block." + str(j) + ".", hf_down + "resnets." + str(j) + ".", Leaf::VAEResNet});
    }
    if (i < l.vae_levels - 1) r.push_back({down + "downsample.", hf_down + "downsamplers.0."});
    // diffusers numbers decoder blocks from the lowest resolution, ldm from the highest.
    const std::string up = "decoder.up." + str(l.vae_levels - 1 - i) + ".";
    const std::string hf_up = "decoder.up_blocks." + str(i) + ".";
    for (int j = 0; j <= l.vae_res_blocks; ++j) {
      r.push_back({up + "block." + str(j) + ".", hf_up + "resnets." + str(j) + ".", Leaf::VAEResNet});
    }
    if (i < l.vae_levels - 1) r.push_back({up + "upsample.", hf_up + "upsamplers.0."});
  }
  return r;
}

std::vector<Rule> rules_for(DiffusersComponent c, const DiffusersLayout& l) {
  switch (c) {
    case DiffusersComponent::UNet: return unet_rules(l);
    case DiffusersComponent::VAE: return vae_rules(l);
    case DiffusersComponent::TextEncoder:
    case DiffusersComponent::TextEncoder2: return {{"", ""}};  // HF CLIPTextModel names as they are
  }
  return {};
}

// Single-file prefix of each component. SDXL single files store the text encoders as
// conditioner.embedders.{0,1}, the second one in OpenCLIP layout; a folder's text_encoder_2 keeps
// its HF names under embedders.1.transformer. (text_model.*, text_projection.weight), a layout the
// detection and CLIPTextModel read as they are (no tensor is split or transposed).
std::string component_prefix(DiffusersComponent c, bool sdxl) {
  switch (c) {
    case DiffusersComponent::UNet: return "model.diffusion_model.";
    case DiffusersComponent::VAE: return "first_stage_model.";
    case DiffusersComponent::TextEncoder:
      return sdxl ? "conditioner.embedders.0.transformer." : "cond_stage_model.transformer.";
    case DiffusersComponent::TextEncoder2: return "conditioner.embedders.1.transformer.";
  }
  return {};
}

std::span<const LeafName> leaf_table(Leaf leaf) {
  switch (leaf) {
    case Leaf::UNetResNet: return kUNetResNet;
    case Leaf::VAEResNet: return kVAEResNet;
    case Leaf::VAEAttention: return kVAEAttention;
    case Leaf::Same: break;
  }
  return {};
}

bool starts_with_part(std::string_view s, std::string_view part) {
  return !part.empty() && s.size() > part.size() && s.substr(0, part.size()) == part && s[part.size()] == '.';
}

// Longest rule prefix of `key` on one side.
const Rule* match(const std::vector<Rule>& rules, std::string_view key, bool diffusers_side) {
  const Rule* best = nullptr;
  for (const auto& r : rules) {
    const std::string& p = diffusers_side ? r.diffusers : r.single;
    if (key.substr(0, p.size()) == p && (best == nullptr || p.size() > (diffusers_side ? best->diffusers : best->single).size())) {
      best = &r;
    }
  }
  return best;
}

MappedName rename(const Rule& rule, std::string_view key, bool from_diffusers) {
  std::string_view rest = key.substr((from_diffusers ? rule.diffusers : rule.single).size());
  MappedName out;
  out.name = from_diffusers ? rule.single : rule.diffusers;
  for (const auto& leaf : leaf_table(rule.leaf)) {
    std::string_view hit;
    if (from_diffusers) {
      hit = starts_with_part(rest, leaf.diffusers) ? leaf.diffusers : starts_with_part(rest, leaf.legacy) ? leaf.legacy : "";
    } else {
      hit = starts_with_part(rest, leaf.single) ? leaf.single : "";
    }
    if (hit.empty()) continue;
    out.name += from_diffusers ? leaf.single : leaf.diffusers;
    rest.remove_prefix(hit.size());
    out.conv1x1 = leaf.conv1x1 && rest == ".weight";
    break;
  }
  out.name += rest;
  return out;
}

int count_in(const std::vector<std::string>& keys, const std::string& prefix) {
  int count = 0;
  for (const auto& k : keys) {
    if (k.compare(0, prefix.size(), prefix) != 0) continue;
    int n = -1;
    auto [ptr, ec] = std::from_chars(k.data() + prefix.size(), k.data() + k.size(), n);
    if (ec == std::errc() && ptr != k.data() + k.size() && *ptr == '.') count = std::max(count, n + 1);
  }
  return count;
}

bool any_with(const std::vector<std::string>& keys, const std::string& prefix) {
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return k.compare(0, prefix.size(), prefix) == 0; });
}

}  // namespace

std::string_view folder_name(DiffusersComponent component) {
  switch (component) {
    case DiffusersComponent::UNet: return "unet";
    case DiffusersComponent::VAE: return "vae";
    case DiffusersComponent::TextEncoder: return "text_encoder";
    case DiffusersComponent::TextEncoder2: return "text_encoder_2";
  }
  return "?";
}

DiffusersLayout layout_from_diffusers_keys(const std::vector<std::string>& unet_keys,
                                           const std::vector<std::string>& vae_keys) {
  DiffusersLayout l;
  l.unet_levels = count_in(unet_keys, "down_blocks.");
  l.unet_res_blocks = count_in(unet_keys, "down_blocks.0.resnets.");
  l.unet_down_attention.assign(static_cast<std::size_t>(l.unet_levels), false);
  l.unet_up_attention.assign(static_cast<std::size_t>(l.unet_levels), false);
  for (int i = 0; i < l.unet_levels; ++i) {
    l.unet_down_attention[static_cast<std::size_t>(i)] = any_with(unet_keys, "down_blocks." + str(i) + ".attentions.");
    l.unet_up_attention[static_cast<std::size_t>(i)] = any_with(unet_keys, "up_blocks." + str(i) + ".attentions.");
  }
  l.vae_levels = count_in(vae_keys, "encoder.down_blocks.");
  l.vae_res_blocks = count_in(vae_keys, "encoder.down_blocks.0.resnets.");
  l.sdxl = any_with(unet_keys, "add_embedding.");
  return l;
}

DiffusersLayout layout_from_config(const ModelConfig& config) {
  DiffusersLayout l;
  const auto& u = config.unet;
  l.unet_levels = static_cast<int>(u.channel_mult.size());
  l.unet_res_blocks = u.num_res_blocks;
  l.unet_down_attention.assign(static_cast<std::size_t>(l.unet_levels), false);
  l.unet_up_attention.assign(static_cast<std::size_t>(l.unet_levels), false);
  for (int level : u.attention_levels) {
    if (level < 0 || level >= l.unet_levels) continue;
    l.unet_down_attention[static_cast<std::size_t>(level)] = true;
    l.unet_up_attention[static_cast<std::size_t>(l.unet_levels - 1 - level)] = true;
  }
  l.vae_levels = static_cast<int>(config.vae.channel_mult.size());
  l.vae_res_blocks = config.vae.num_res_blocks;
  l.sdxl = config.family == ModelFamily::SDXL;
  return l;
}

MappedName to_single_file(DiffusersComponent component, std::string_view key, const DiffusersLayout& layout) {
  const std::string prefix = component_prefix(component, layout.sdxl);
  const auto rules = rules_for(component, layout);
  if (const Rule* rule = match(rules, key, true)) {
    MappedName m = rename(*rule, key, true);
    m.name = prefix + m.name;
    return m;
  }
  return {prefix + std::string(key), false};
}

std::optional<std::pair<DiffusersComponent, MappedName>> to_diffusers(std::string_view key,
                                                                       const DiffusersLayout& layout) {
  for (auto c : {DiffusersComponent::UNet, DiffusersComponent::VAE, DiffusersComponent::TextEncoder,
                 DiffusersComponent::TextEncoder2}) {
    const std::string prefix = component_prefix(c, layout.sdxl);
    if (key.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = key.substr(prefix.size());
    const auto rules = rules_for(c, layout);
    if (const Rule* rule = match(rules, rest, false)) return std::make_pair(c, rename(*rule, rest, false));
    return std::make_pair(c, MappedName{std::string(rest), false});
  }
  return std::nullopt;
}

}  // namespace strata::diffusion::models
