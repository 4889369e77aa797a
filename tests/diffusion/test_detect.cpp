// Detection of the tiny SD1.5 model against its config.json, hints (metadata / configs), and the
// diffusers name table (spot checks against diffusers' conversion script, bijection).
#include <catch2/catch.hpp>

#include <set>

#include "models/diffusers_names.h"
#include "models/hints.h"
#include "models/model_source.h"
#include "reference.h"
#include "strata/diffusion/model_config.h"
#include "strata/doc/error.h"

using namespace strata;
using namespace strata::diffusion;
using models::DiffusersComponent;

namespace {

std::vector<int> ints(const nlohmann::json& j) { return j.get<std::vector<int>>(); }

}  // namespace

TEST_CASE("detect: tiny-sd15 matches every number of its config.json", "[models][detect]") {
  REQUIRE_REFERENCE();
  const auto dir = test::reference_dir() / "tiny-sd15";
  const auto ref = test::read_json(dir / "config.json");
  const auto& unet_ref = ref["ldm"]["params"]["unet_config"]["params"];
  const auto& vae_ref = ref["ldm"]["params"]["first_stage_config"]["params"]["ddconfig"];
  const auto& text_ref = ref["diffusers"]["text_encoder"];
  const auto& summary = ref["summary"];

  const auto source = models::open_model_source(dir / "model.safetensors");
  const auto cfg = ModelConfig::detect(source.index, source.hints);
  INFO(cfg.reason);
  CHECK(cfg.family == ModelFamily::SD1);
  CHECK(to_string(cfg.family) == "SD1");
  CHECK(cfg.variant == "txt2img");
  CHECK(cfg.supported);
  CHECK(cfg.prediction == Prediction::Epsilon);

  const auto& u = cfg.unet;
  CHECK(u.in_channels == unet_ref["in_channels"].get<int>());
  CHECK(u.out_channels == unet_ref["out_channels"].get<int>());
  CHECK(u.model_channels == unet_ref["model_channels"].get<int>());
  CHECK(u.channel_mult == ints(unet_ref["channel_mult"]));
  CHECK(u.num_res_blocks == unet_ref["num_res_blocks"].get<int>());
  CHECK(u.attention_levels == ints(summary["unet"]["attention_levels"]));
  CHECK(u.transformer_depth == unet_ref["transformer_depth"].get<int>());
  CHECK(u.context_dim == unet_ref["context_dim"].get<int>());
  CHECK(u.num_heads == unet_ref["num_heads"].get<int>());
  CHECK(u.head_dim == -1);
  CHECK_FALSE(u.linear_proj);
  CHECK(u.time_embed_dim() == summary["unet"]["time_embed_dim"].get<int>());
  for (std::size_t level = 0; level < u.channel_mult.size(); ++level) {
    CHECK(u.heads_at(u.model_channels * u.channel_mult[level]) == summary["unet"]["heads_per_level"][level].get<int>());
  }

  const auto& t = cfg.text;
  CHECK(t.vocab_size == text_ref["vocab_size"].get<int>());
  CHECK(t.max_positions == text_ref["max_position_embeddings"].get<int>());
  CHECK(t.width == text_ref["hidden_size"].get<int>());
  CHECK(t.layers == text_ref["num_hidden_layers"].get<int>());
  CHECK(t.heads == text_ref["num_attention_heads"].get<int>());  // from config.json: 32/64 is no head count
  CHECK(t.mlp_width == text_ref["intermediate_size"].get<int>());
  CHECK(t.quick_gelu == (text_ref["hidden_act"].get<std::string>() == "quick_gelu"));

  const auto& v = cfg.vae;
  CHECK(v.base_channels == vae_ref["ch"].get<int>());
  CHECK(v.channel_mult == ints(vae_ref["ch_mult"]));
  CHECK(v.num_res_blocks == vae_ref["num_res_blocks"].get<int>());
  CHECK(v.latent_channels == vae_ref["z_channels"].get<int>());
  CHECK(v.in_channels == vae_ref["in_channels"].get<int>());
  CHECK(v.scale_factor == Approx(ref["ldm"]["params"]["scale_factor"].get<double>()));
  CHECK(v.downsample_factor() == 8);
}

TEST_CASE("detect: without config the shapes alone still give the architecture", "[models][detect]") {
  REQUIRE_REFERENCE();
  const auto index = TensorIndex::open(test::reference_dir() / "tiny-sd15" / "model.safetensors");
  const auto cfg = ModelConfig::detect(index);
  CHECK(cfg.family == ModelFamily::SD1);
  CHECK(cfg.unet.num_heads == 8);  // SD1 convention
  CHECK(cfg.text.heads == 1);      // width 32: no convention applies; noted
  bool noted = false;
  for (const auto& n : cfg.notes) noted = noted || n.find("not a multiple of 64") != std::string::npos;
  CHECK(noted);

  ModelHints hints;
  hints.text_heads = 4;
  hints.unet_head_dim = 4;
  hints.prediction = Prediction::VPrediction;
  hints.source = "test";
  const auto hinted = ModelConfig::detect(index, hints);
  CHECK(hinted.text.heads == 4);
  CHECK(hinted.unet.num_heads == -1);
  CHECK(hinted.unet.head_dim == 4);
  CHECK(hinted.unet.heads_at(128) == 32);
  CHECK(hinted.prediction == Prediction::VPrediction);
  CHECK(hinted.prediction_from_hint);
}

TEST_CASE("detect: a file without UNet tensors is refused, naming it", "[models][detect][bad-input]") {
  REQUIRE_REFERENCE();
  const auto index = TensorIndex::open(test::reference_dir() / "tiny-sd15" / "cases" / "text_encoder.safetensors");
  try {
    (void)ModelConfig::detect(index);
    FAIL("no error");
  } catch (const doc::Error& e) {
    INFO(e.what());
    CHECK(e.code() == doc::ErrorCode::UnsupportedModel);
    CHECK(std::string(e.what()).find("text_encoder.safetensors") != std::string::npos);
    CHECK(std::string(e.what()).find("model.diffusion_model") != std::string::npos);
  }
}

TEST_CASE("hints: __metadata__ keys and diffusers/ldm configs", "[models][hints]") {
  auto h = ModelHints::from_metadata({{"strata.unet.num_heads", "5"}, {"strata.text_encoder.heads", "4"},
                                      {"modelspec.architecture", "stable-diffusion-v2-768-v"}});
  CHECK(h.unet_num_heads == 5);
  CHECK(h.text_heads == 4);
  CHECK(h.prediction == Prediction::VPrediction);
  CHECK(h.source == "__metadata__");
  CHECK_FALSE(ModelHints::from_metadata({{"strata.unet.num_heads", "x"}}).unet_num_heads);
  CHECK(ModelHints::from_metadata({{"ss_v_parameterization", "True"}}).prediction == Prediction::VPrediction);
  CHECK(ModelHints::from_metadata({{"modelspec.architecture", "stable-diffusion-v1"}}).prediction == std::nullopt);

  // SD2's diffusers unet config: attention_head_dim lists head COUNTS per level → 64 channels each.
  auto sd2 = models::hints_from_diffusers_unet(
      nlohmann::json::parse(R"({"attention_head_dim":[5,10,20,20],"block_out_channels":[320,640,1280,1280]})"), "u");
  CHECK(sd2.unet_head_dim == 64);
  CHECK_FALSE(sd2.unet_num_heads);
  auto sd1 = models::hints_from_diffusers_unet(nlohmann::json::parse(R"({"attention_head_dim":8})"), "u");
  CHECK(sd1.unet_num_heads == 8);
  auto ldm = models::hints_from_config_json(
      nlohmann::json::parse(R"({"model":{"params":{"parameterization":"v","unet_config":{"params":{"num_head_channels":64,"num_heads":-1}}}}})"),
      "config.json");
  CHECK(ldm.prediction == Prediction::VPrediction);
  CHECK(ldm.unet_head_dim == 64);
  CHECK_FALSE(ldm.unet_num_heads);
  auto sched = models::hints_from_scheduler(nlohmann::json::parse(R"({"prediction_type":"v_prediction"})"), "s");
  CHECK(sched.prediction == Prediction::VPrediction);

  ModelHints a;
  a.text_heads = 3;
  a.source = "a";
  a.fill_from(h);
  CHECK(a.text_heads == 3);
  CHECK(a.unet_num_heads == 5);
  CHECK(a.source == "a, __metadata__");
}

TEST_CASE("diffusers names: spot checks against diffusers' conversion script", "[models][diffusers]") {
  const models::DiffusersLayout sd15;  // 4 levels, 2 res blocks, attention on the first three
  auto single = [&](DiffusersComponent c, const char* key) { return models::to_single_file(c, key, sd15).name; };
  using C = DiffusersComponent;
  CHECK(single(C::UNet, "conv_in.weight") == "model.diffusion_model.input_blocks.0.0.weight");
  CHECK(single(C::UNet, "time_embedding.linear_2.bias") == "model.diffusion_model.time_embed.2.bias");
  CHECK(single(C::UNet, "down_blocks.0.resnets.1.norm1.weight") == "model.diffusion_model.input_blocks.2.0.in_layers.0.weight");
  CHECK(single(C::UNet, "down_blocks.1.resnets.0.conv_shortcut.weight") == "model.diffusion_model.input_blocks.4.0.skip_connection.weight");
  CHECK(single(C::UNet, "down_blocks.2.attentions.1.transformer_blocks.0.attn2.to_k.weight") ==
        "model.diffusion_model.input_blocks.8.1.transformer_blocks.0.attn2.to_k.weight");
  CHECK(single(C::UNet, "down_blocks.2.downsamplers.0.conv.weight") == "model.diffusion_model.input_blocks.9.0.op.weight");
  CHECK(single(C::UNet, "down_blocks.3.resnets.1.time_emb_proj.bias") == "model.diffusion_model.input_blocks.11.0.emb_layers.1.bias");
  CHECK(single(C::UNet, "mid_block.resnets.1.conv2.weight") == "model.diffusion_model.middle_block.2.out_layers.3.weight");
  CHECK(single(C::UNet, "mid_block.attentions.0.proj_in.weight") == "model.diffusion_model.middle_block.1.proj_in.weight");
  CHECK(single(C::UNet, "up_blocks.0.upsamplers.0.conv.weight") == "model.diffusion_model.output_blocks.2.1.conv.weight");
  CHECK(single(C::UNet, "up_blocks.1.upsamplers.0.conv.bias") == "model.diffusion_model.output_blocks.5.2.conv.bias");
  CHECK(single(C::UNet, "up_blocks.3.attentions.2.norm.weight") == "model.diffusion_model.output_blocks.11.1.norm.weight");
  CHECK(single(C::UNet, "up_blocks.3.resnets.2.conv2.weight") == "model.diffusion_model.output_blocks.11.0.out_layers.3.weight");
  CHECK(single(C::UNet, "conv_norm_out.bias") == "model.diffusion_model.out.0.bias");
  CHECK(single(C::UNet, "conv_out.weight") == "model.diffusion_model.out.2.weight");

  CHECK(single(C::VAE, "encoder.down_blocks.1.resnets.0.conv_shortcut.weight") ==
        "first_stage_model.encoder.down.1.block.0.nin_shortcut.weight");
  CHECK(single(C::VAE, "encoder.down_blocks.0.downsamplers.0.conv.weight") == "first_stage_model.encoder.down.0.downsample.conv.weight");
  CHECK(single(C::VAE, "decoder.up_blocks.0.resnets.2.conv1.bias") == "first_stage_model.decoder.up.3.block.2.conv1.bias");
  CHECK(single(C::VAE, "decoder.up_blocks.2.upsamplers.0.conv.weight") == "first_stage_model.decoder.up.1.upsample.conv.weight");
  CHECK(single(C::VAE, "decoder.mid_block.resnets.1.norm2.weight") == "first_stage_model.decoder.mid.block_2.norm2.weight");
  CHECK(single(C::VAE, "encoder.conv_norm_out.weight") == "first_stage_model.encoder.norm_out.weight");
  CHECK(single(C::VAE, "post_quant_conv.weight") == "first_stage_model.post_quant_conv.weight");
  CHECK(single(C::TextEncoder, "text_model.final_layer_norm.weight") ==
        "cond_stage_model.transformer.text_model.final_layer_norm.weight");

  // VAE attention: new and pre-0.14 names, Linear → 1×1 conv for the weights only.
  for (const char* key : {"decoder.mid_block.attentions.0.to_q.weight", "decoder.mid_block.attentions.0.query.weight"}) {
    auto m = models::to_single_file(C::VAE, key, sd15);
    CHECK(m.name == "first_stage_model.decoder.mid.attn_1.q.weight");
    CHECK(m.conv1x1);
  }
  auto out = models::to_single_file(C::VAE, "encoder.mid_block.attentions.0.proj_attn.bias", sd15);
  CHECK(out.name == "first_stage_model.encoder.mid.attn_1.proj_out.bias");
  CHECK_FALSE(out.conv1x1);
  CHECK(single(C::VAE, "encoder.mid_block.attentions.0.to_out.0.weight") == "first_stage_model.encoder.mid.attn_1.proj_out.weight");
  CHECK(single(C::VAE, "encoder.mid_block.attentions.0.group_norm.bias") == "first_stage_model.encoder.mid.attn_1.norm.bias");
  // Unknown keys keep their name under the component prefix (reported later as unexpected).
  CHECK(single(C::UNet, "something.new") == "model.diffusion_model.something.new");

  auto back = models::to_diffusers("first_stage_model.decoder.mid.attn_1.v.weight", sd15);
  REQUIRE(back);
  CHECK(back->first == C::VAE);
  CHECK(back->second.name == "decoder.mid_block.attentions.0.to_v.weight");
  CHECK(back->second.conv1x1);
  CHECK_FALSE(models::to_diffusers("alphas_cumprod", sd15));
}

TEST_CASE("diffusers names: the table is a bijection on a full SD1.5 key set", "[models][diffusers]") {
  REQUIRE_REFERENCE();
  const auto manifest = test::read_json(test::reference_dir() / "manifests" / "sd15.json");
  const models::DiffusersLayout layout;
  std::set<std::pair<int, std::string>> seen;
  int mapped = 0;
  for (const auto& [key, shape] : manifest["tensors"].items()) {
    auto d = models::to_diffusers(key, layout);
    if (!d) continue;  // DDPM buffers
    ++mapped;
    INFO(key << " → " << d->second.name);
    CHECK(seen.insert({static_cast<int>(d->first), d->second.name}).second);  // injective
    // Every block prefix was renamed: no ldm-only block names survive on the diffusers side.
    for (const char* ldm : {"input_blocks", "output_blocks", "middle_block", "in_layers", "out_layers",
                            "emb_layers", "skip_connection", "nin_shortcut", ".down.", ".up.", "mid.attn_1"}) {
      CHECK(d->second.name.find(ldm) == std::string::npos);
    }
    auto again = models::to_single_file(d->first, d->second.name, layout);
    CHECK(again.name == key);
    CHECK(again.conv1x1 == d->second.conv1x1);
    CHECK(d->second.conv1x1 == (key.find("mid.attn_1.") != std::string::npos && shape.size() == 4 &&
                                key.find(".norm.") == std::string::npos));
  }
  CHECK(mapped == 1143 - 12);
}
