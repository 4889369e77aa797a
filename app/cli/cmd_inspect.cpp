// strata-cli inspect MODEL [--json] — family, variant, every detected architectural number,
// parameters per component, storage dtypes and whether Strata can run the model. Reads headers
// only. Exit 0 when runnable; 2 (after printing the description) when recognised but not
// runnable, and 2 with "error: …" naming the file for anything that is not a model at all.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "strata/diffusion/model_info.h"
#include "strata/diffusion/model_tokenizer.h"
#include "strata/doc/error.h"

namespace strata::cli {

namespace {

using diffusion::ModelInfo;

std::string list(const std::vector<int>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::string human_bytes(std::uint64_t n) {
  char buf[32];
  if (n >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(n) / (1ull << 30));
  else if (n >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1ull << 20));
  else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
  return buf;
}

std::string human_count(std::int64_t n) {
  char buf[32];
  if (n >= 1'000'000) std::snprintf(buf, sizeof buf, "%lld (%.1fM)", static_cast<long long>(n), static_cast<double>(n) / 1e6);
  else std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
  return buf;
}

std::string heads(const diffusion::UNetConfig& u) {
  return u.num_heads > 0 ? std::to_string(u.num_heads) + " per transformer" : std::to_string(u.head_dim) + " channels per head";
}

nlohmann::json text_json(const diffusion::TextEncoderConfig& t) {
  return {{"prefix", t.prefix},
          {"layout", t.layout == diffusion::TextLayout::OpenCLIP ? "open_clip" : "hf_clip"},
          {"vocab_size", t.vocab_size},
          {"max_positions", t.max_positions},
          {"width", t.width},
          {"layers", t.layers},
          {"layers_used", t.layers - t.skip_layers},
          {"heads", t.heads},
          {"mlp_width", t.mlp_width},
          {"quick_gelu", t.quick_gelu},
          {"pad_id", t.pad_id},
          {"projection_dim", t.projection_dim}};
}

std::string text_line(const diffusion::TextEncoderConfig& t) {
  std::string s = t.prefix + " (" + (t.layout == diffusion::TextLayout::OpenCLIP ? "OpenCLIP" : "HF CLIP") +
                  "): vocab " + std::to_string(t.vocab_size) + ", width " + std::to_string(t.width) + ", layers " +
                  std::to_string(t.layers) + (t.skip_layers ? " (context from layer " +
                                                                  std::to_string(t.layers - t.skip_layers) + ")"
                                                            : "") +
                  ", heads " + std::to_string(t.heads) + ", mlp " + std::to_string(t.mlp_width) + ", " +
                  (t.quick_gelu ? "quick_gelu" : "gelu") + ", pad id " + std::to_string(t.pad_id);
  if (t.projection_dim > 0) s += ", projection " + std::to_string(t.projection_dim);
  return s;
}

nlohmann::json to_json(const ModelInfo& info) {
  const auto& c = info.config;
  nlohmann::json j;
  j["path"] = info.path.string();
  j["format"] = info.format;
  for (const auto& f : info.files) j["files"].push_back(f.string());
  j["file_bytes"] = info.file_bytes;
  j["family"] = std::string(diffusion::to_string(c.family));
  j["variant"] = c.variant;
  j["runnable"] = info.runnable;
  j["reason"] = info.reason;
  j["prediction"] = std::string(diffusion::to_string(c.prediction));
  j["prediction_from_hint"] = c.prediction_from_hint;
  j["native_size"] = c.native_size;
  j["unet"] = {{"in_channels", c.unet.in_channels},       {"out_channels", c.unet.out_channels},
               {"model_channels", c.unet.model_channels}, {"channel_mult", c.unet.channel_mult},
               {"num_res_blocks", c.unet.num_res_blocks}, {"attention_levels", c.unet.attention_levels},
               {"transformer_depth", c.unet.transformer_depth}, {"context_dim", c.unet.context_dim},
               {"num_heads", c.unet.num_heads},           {"head_dim", c.unet.head_dim},
               {"linear_proj", c.unet.linear_proj},       {"norm_groups", c.unet.norm_groups},
               {"time_embed_dim", c.unet.time_embed_dim()}};
  if (!c.unet.depth_per_level.empty()) {
    j["unet"]["depth_per_level"] = c.unet.depth_per_level;
    j["unet"]["middle_depth"] = c.unet.middle_depth;
  }
  if (c.unet.adm_in_channels > 0) {
    j["unet"]["added_conditioning"] = {{"adm_in_channels", c.unet.adm_in_channels},
                                       {"time_ids", c.unet.adm_time_ids},
                                       {"time_embed_dim", c.unet.adm_time_dim}};
  }
  j["text_encoder"] = text_json(c.text);
  if (c.text2) j["text_encoder_2"] = text_json(*c.text2);
  j["vae"] = {{"in_channels", c.vae.in_channels},         {"base_channels", c.vae.base_channels},
              {"channel_mult", c.vae.channel_mult},       {"num_res_blocks", c.vae.num_res_blocks},
              {"latent_channels", c.vae.latent_channels}, {"scale_factor", c.vae.scale_factor},
              {"downsample_factor", c.vae.downsample_factor()}};
  for (const auto& comp : info.components) {
    j["components"].push_back({{"name", comp.name}, {"prefix", comp.prefix}, {"tensors", comp.tensors},
                               {"parameters", comp.parameters}, {"bytes", comp.bytes}, {"dtypes", comp.dtypes}});
  }
  j["total_parameters"] = info.total_parameters;
  j["storage_dtypes"] = info.storage_dtypes;
  j["metadata"] = info.metadata;
  j["notes"] = c.notes;
  j["problems"] = info.problems;
  j["tokenizer_dir"] = info.tokenizer_dir.string();
  try {
    const auto choice = diffusion::choose_tokenizer(info);
    j["tokenizer"] = {{"path", choice.path.string()}, {"origin", choice.origin}};
  } catch (const doc::Error& e) {
    j["tokenizer"] = {{"error", e.what()}};
  }
  return j;
}

void print_text(const ModelInfo& info, std::ostream& out) {
  const auto& c = info.config;
  const auto& u = c.unet;
  const auto& t = c.text;
  const auto& v = c.vae;
  out << "model:         " << info.path.string() << "\n";
  out << "format:        " << info.format << ", " << info.files.size() << " file" << (info.files.size() == 1 ? "" : "s")
      << ", " << human_bytes(info.file_bytes) << "\n";
  out << "family:        " << diffusion::to_string(c.family) << " " << c.variant << "\n";
  out << "runs:          " << (info.runnable ? "yes" : "no: " + info.reason) << "\n";
  out << "prediction:    " << diffusion::to_string(c.prediction)
      << (c.prediction_from_hint ? " (from a config/metadata hint)" : " (default; not in the shapes)") << "\n";
  out << "native size:   " << c.native_size << "x" << c.native_size << "\n";
  out << "unet:          in_channels " << u.in_channels << ", out_channels " << u.out_channels << ", model_channels "
      << u.model_channels << ", channel_mult " << list(u.channel_mult) << ", num_res_blocks " << u.num_res_blocks
      << ",\n               attention_levels " << list(u.attention_levels) << ", transformer_depth "
      << (u.depth_per_level.empty() ? std::to_string(u.transformer_depth)
                                    : list(u.depth_per_level) + " (middle " + std::to_string(u.middle_depth) + ")")
      << ", context_dim " << u.context_dim << ", heads " << heads(u) << ", proj_in/out "
      << (u.linear_proj ? "linear" : "1x1 conv") << ", time_embed_dim " << u.time_embed_dim() << "\n";
  if (u.adm_in_channels > 0) {
    out << "               added conditioning (label_emb): " << u.adm_in_channels << " = pooled text + "
        << u.adm_time_ids << " size/crop" << (u.adm_time_ids == 5 ? "/aesthetic" : "") << " ids x " << u.adm_time_dim
        << "\n";
  }
  out << "text_encoder:  " << text_line(t) << "\n";
  if (c.text2) out << "text_encoder_2: " << text_line(*c.text2) << "\n";
  out << "vae:           in_channels " << v.in_channels << ", base_channels " << v.base_channels << ", channel_mult "
      << list(v.channel_mult) << ", num_res_blocks " << v.num_res_blocks << ", latent_channels " << v.latent_channels
      << ", scale_factor " << v.scale_factor << ", downsample x" << v.downsample_factor() << "\n";
  out << "parameters:\n";
  for (const auto& comp : info.components) {
    std::string dtypes;
    for (const auto& [dt, n] : comp.dtypes) dtypes += (dtypes.empty() ? "" : ", ") + dt + " x" + std::to_string(n);
    char name[32];
    std::snprintf(name, sizeof name, "  %-15s", comp.name.c_str());
    out << name << human_count(comp.parameters) << " in " << comp.tensors << " tensors, " << human_bytes(comp.bytes)
        << " stored (" << dtypes << ")" << (comp.name == "other" ? " [not loaded]" : "") << "\n";
  }
  out << "  total          " << human_count(info.total_parameters) << "\n";
  std::string dtypes;
  for (const auto& d : info.storage_dtypes) dtypes += (dtypes.empty() ? "" : ", ") + d;
  out << "storage dtypes: " << dtypes << "\n";
  try {
    const auto choice = diffusion::choose_tokenizer(info);
    out << "tokenizer:     " << choice.path.string() << " (" << choice.origin << ")\n";
  } catch (const doc::Error& e) {
    out << "tokenizer:     none: " << e.what() << "\n";
  }
  if (!c.notes.empty()) {
    out << "notes:\n";
    for (const auto& n : c.notes) out << "  - " << n << "\n";
  }
  if (!info.problems.empty()) {
    out << "problems:\n";
    for (const auto& p : info.problems) out << "  - " << p << "\n";
  }
}

}  // namespace

RunFn add_inspect(CLI::App& root) {
  auto* sub = root.add_subcommand("inspect", "Describe a checkpoint: family, architecture, dtypes, runnable or not");
  auto model = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  sub->add_option("MODEL", *model, ".safetensors file or diffusers folder")->required();
  sub->add_flag("--json", *json, "Print the description as JSON");
  return [model, json] {
    const ModelInfo info = diffusion::inspect_model(*model);
    if (*json) {
      std::cout << to_json(info).dump(2) << "\n";
    } else {
      print_text(info, std::cout);
    }
    if (!info.runnable) {
      std::cerr << "error: " << info.path.filename().string() << ": cannot be run by Strata: " << info.reason << "\n";
      return 2;
    }
    return 0;
  };
}

}  // namespace strata::cli
