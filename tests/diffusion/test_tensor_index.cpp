// Safetensors reader: valid files and every kind of broken file, each asserting the error code and
// that the message names the culprit.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>

#include "reference.h"
#include "strata/diffusion/tensor_index.h"
#include "strata/doc/error.h"

using namespace strata;
using diffusion::TensorIndex;
using doc::ErrorCode;

namespace {

std::filesystem::path write_file(const std::string& name, const std::string& bytes) {
  static auto dir = test::temp_dir("tensor_index");
  auto p = dir / name;
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return p;
}

std::string le64(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return s;
}

std::string make_st(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

// Expects open() to throw with the code, and the message to contain every fragment.
void expect_error(const std::filesystem::path& p, ErrorCode code, std::vector<std::string> fragments) {
  try {
    (void)TensorIndex::open(p);
    FAIL("no error for " << p.filename());
  } catch (const doc::Error& e) {
    INFO(e.what());
    CHECK(e.code() == code);
    for (const auto& f : fragments) CHECK(std::string(e.what()).find(f) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("safetensors: a valid file is indexed without copying", "[safetensors]") {
  float a[2] = {1.5f, -2.0f};
  std::uint16_t b[3] = {0x3c00, 0x4000, 0xc000};  // fp16 1, 2, -2
  std::string data(reinterpret_cast<char*>(a), 8);
  data += std::string(reinterpret_cast<char*>(b), 6);
  auto p = write_file("ok.safetensors",
                      make_st(R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F16","shape":[1,3],"data_offsets":[8,14]}})", data));
  auto idx = TensorIndex::open(p);
  REQUIRE(idx.size() == 2);
  const auto* ta = idx.find("a");
  REQUIRE(ta != nullptr);
  CHECK(ta->dtype == diffusion::DType::F32);
  CHECK(ta->shape == std::vector<std::int64_t>{2});
  float got[2];
  std::memcpy(got, TensorIndex::data(*ta), 8);
  CHECK(got[0] == 1.5f);
  CHECK(got[1] == -2.0f);
  const auto* tb = idx.find("b");
  REQUIRE(tb != nullptr);
  CHECK(tb->numel() == 3);
  CHECK(idx.metadata().at("format") == "pt");
  CHECK(idx.find("c") == nullptr);
  CHECK(idx.total_bytes() == 14);
}

TEST_CASE("safetensors: broken files are refused with a named culprit", "[safetensors][bad-input]") {
  const std::string good_header = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string data(8, '\0');
  auto full = make_st(good_header, data);

  SECTION("truncated file") {
    auto p = write_file("truncated.safetensors", full.substr(0, full.size() - 3));
    expect_error(p, ErrorCode::CorruptFile, {"truncated.safetensors", "'w'", "beyond"});
  }
  SECTION("shorter than the length prefix") {
    expect_error(write_file("tiny.safetensors", "abc"), ErrorCode::CorruptFile, {"tiny.safetensors", "truncated"});
  }
  SECTION("header length beyond the file") {
    auto p = write_file("longheader.safetensors", le64(5000) + good_header + data);
    expect_error(p, ErrorCode::CorruptFile, {"longheader.safetensors", "header length 5000"});
  }
  SECTION("header JSON invalid") {
    auto p = write_file("badjson.safetensors", make_st(R"({"w":{"dtype":"F32",)", data));
    expect_error(p, ErrorCode::CorruptFile, {"badjson.safetensors", "not valid JSON"});
  }
  SECTION("offsets out of bounds") {
    auto p = write_file("oob.safetensors",
                        make_st(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", data));
    expect_error(p, ErrorCode::CorruptFile, {"oob.safetensors", "'w'", "beyond the data section"});
  }
  SECTION("overlapping tensors") {
    auto p = write_file("overlap.safetensors",
                        make_st(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", data));
    expect_error(p, ErrorCode::CorruptFile, {"overlap.safetensors", "'a'", "'b'", "overlap"});
  }
  SECTION("dtype, shape and length disagree") {
    auto p = write_file("len.safetensors",
                        make_st(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}})", data));
    expect_error(p, ErrorCode::CorruptFile, {"len.safetensors", "'w'", "[2]", "F16", "needs 4 bytes"});
  }
  SECTION("unknown dtype") {
    auto p = write_file("dtype.safetensors",
                        make_st(R"({"w":{"dtype":"F8_E9","shape":[8],"data_offsets":[0,8]}})", data));
    expect_error(p, ErrorCode::CorruptFile, {"dtype.safetensors", "'w'", "unknown dtype", "F8_E9"});
  }
  SECTION("negative shape") {
    auto p = write_file("neg.safetensors",
                        make_st(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", data));
    expect_error(p, ErrorCode::CorruptFile, {"neg.safetensors", "'w'", "-2"});
  }
  SECTION("empty file") {
    expect_error(write_file("empty.safetensors", ""), ErrorCode::CorruptFile, {"empty.safetensors", "empty"});
  }
  SECTION("a directory") {
    auto dir = test::temp_dir("tensor_index_dir");
    expect_error(dir, ErrorCode::IoError, {"tensor_index_dir", "directory"});
  }
  SECTION("a missing file") {
    expect_error("/nonexistent/model.safetensors", ErrorCode::NotFound, {"model.safetensors"});
  }
  SECTION("an unreadable file") {
    auto p = write_file("unreadable.safetensors", full);
    std::filesystem::permissions(p, std::filesystem::perms::none);
    std::ifstream probe(p);
    if (probe.good()) {
      // root ignores permission bits; a FIFO is unreadable as a model for anyone
      std::filesystem::permissions(p, std::filesystem::perms::owner_all);
      auto fifo = p.parent_path() / "fifo.safetensors";
      std::filesystem::remove(fifo);
      REQUIRE(std::system(("mkfifo '" + fifo.string() + "'").c_str()) == 0);
      expect_error(fifo, ErrorCode::IoError, {"fifo.safetensors", "not a regular file"});
    } else {
      expect_error(p, ErrorCode::IoError, {"unreadable.safetensors", "cannot open"});
    }
  }
  SECTION("a pickle checkpoint is refused, never executed") {
    auto p = write_file("model.ckpt", std::string("PK\x03\x04", 4) + "archive/data.pkl");
    expect_error(p, ErrorCode::UnsupportedModel, {"model.ckpt", "pickle", "safetensors"});
    auto q = write_file("weights.safetensors", std::string("\x80\x02}q\x00.", 6) + std::string(10, 'x'));
    expect_error(q, ErrorCode::UnsupportedModel, {"weights.safetensors", "pickle"});
  }
}

TEST_CASE("safetensors: the tiny reference model indexes", "[safetensors][reference]") {
  REQUIRE_REFERENCE();
  auto idx = TensorIndex::open(test::reference_dir() / "tiny-sd15" / "model.safetensors");
  CHECK(idx.size() == 983);
  const auto* pos = idx.find("cond_stage_model.transformer.text_model.embeddings.position_ids");
  REQUIRE(pos != nullptr);
  CHECK(pos->dtype == diffusion::DType::I64);
}
