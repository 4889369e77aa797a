// strata/doc/error.h — the one error type every Strata library throws for what a user can cause.
//
// A user-caused failure (bad file, unsupported model, impossible size, odd prompt) is an Error whose
// message names the object, says what was expected and what was found. Broken invariants are
// assertions, not Errors. Errors never cross a thread: the worker catches and forwards them.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace strata::doc {

enum class ErrorCode {
  InvalidArgument,   // a parameter out of range, a malformed prompt or size
  NotFound,          // a file, folder or tensor that is not there
  IoError,           // the OS refused: unreadable, not a regular file, write failed
  CorruptFile,       // the bytes disagree with their own header or format
  UnsupportedModel,  // recognised but not runnable (SD 2.x, SDXL, pickle checkpoints)
  ShapeMismatch,     // a tensor whose shape disagrees with the detected architecture
  MissingTensor,     // a tensor the architecture needs is absent
  UnexpectedTensor,  // a tensor no module claims
  TooLarge,          // a size beyond what Strata will allocate
  Cancelled,         // the user cancelled
  Runtime,           // a failure inside a library (torch, OpenCV) translated at the boundary
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace strata::doc
