#include "strata/doc/error.h"

namespace strata::doc {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::IoError: return "i/o error";
    case ErrorCode::CorruptFile: return "corrupt file";
    case ErrorCode::UnsupportedModel: return "unsupported model";
    case ErrorCode::ShapeMismatch: return "shape mismatch";
    case ErrorCode::MissingTensor: return "missing tensor";
    case ErrorCode::UnexpectedTensor: return "unexpected tensor";
    case ErrorCode::TooLarge: return "too large";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Runtime: return "runtime failure";
  }
  return "unknown";
}

}  // namespace strata::doc
