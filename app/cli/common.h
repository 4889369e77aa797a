// Helpers shared by strata-cli subcommands: exit-code mapping and terminal detection.
#pragma once

#include <string>

#include "strata/diffusion/pipeline.h"
#include "strata/doc/error.h"

namespace strata::cli {

// 2 for what the user can fix (bad file, bad argument, unsupported model), 1 for runtime
// failures, 130 for cancellation.
int exit_code_for(const doc::Error& e);

bool stderr_is_terminal();

// `model` as given, or the embedded default model (strata/io/default_model.h) when empty; throws
// doc::Error(NotFound) naming where it looked when there is none.
std::string model_or_default(const std::string& model);

// Sets o.device / o.precision from the --device / --precision words ("cpu"|"cuda",
// "fp32"|"bf16"|"fp16"); warns on stderr when bf16 on this device sums in bf16 (slow, inexact).
void apply_device_precision(const std::string& device, const std::string& precision, diffusion::PipelineOptions& o);

}  // namespace strata::cli
