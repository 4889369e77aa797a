#include <catch2/catch.hpp>

#include "strata/doc/error.h"

using namespace strata::doc;

TEST_CASE("Error carries its code and message", "[doc][error]") {
  try {
    throw Error(ErrorCode::ShapeMismatch, "x: expected [1], found [2]");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::ShapeMismatch);
    CHECK(std::string(e.what()) == "x: expected [1], found [2]");
    CHECK(to_string(e.code()) == "shape mismatch");
  }
}
