// model_entry.h — how a model is named in the model picker: "tiny-sdxl — SDXL base · 1024²".
//
// modelDisplayName: a checkpoint's file name without ".safetensors"; a file with a generic name
// ("model.safetensors", "diffusion_pytorch_model.safetensors") is named after its folder, a diffusers
// folder after itself. modelEntryText: the name, family and variant, and native size of a
// described model; "(cannot run)" when it cannot. modelStatusText: the status line of a loaded
// model (family, prediction type, native size). Pure functions; any thread.
#pragma once

#include <QString>

#include "generation_service.h"

namespace strata::ui {

QString modelDisplayName(const QString& path);
QString modelEntryText(const ModelDescription& model);
// "tiny-sd21v · SD2 txt2img · v-prediction (your choice) · native 768 px"
QString modelStatusText(const ModelDescription& model, bool predictionChosen);
// The label of a kPredictions id ("v" → "v-prediction"); the id itself when unknown.
QString predictionLabel(const QString& id);

}  // namespace strata::ui
