// Image decoding and PNG encoding: formats, channel order, limits, corrupt data.
#include <catch2/catch.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "io_test_util.h"
#include "reference.h"
#include "strata/io/image_codec.h"

using namespace strata;
using namespace strata::io;
using doc::ErrorCode;
using test::ByteVec;

namespace {

// Encodes with OpenCV (BGR order in, as OpenCV expects) to produce foreign-format fixtures.
ByteVec cv_encode(const cv::Mat& m, const char* ext, std::vector<int> params = {}) {
  std::vector<std::uint8_t> out;
  REQUIRE(cv::imencode(ext, m, out, params));
  return out;
}

cv::Mat red_bgr(int w, int h) { return cv::Mat(h, w, CV_8UC3, cv::Scalar(0, 0, 255)); }  // B, G, R

}  // namespace

TEST_CASE("PNG round-trips grey, RGB and RGBA pixels exactly", "[io][codec]") {
  auto dir = test::temp_dir("io_codec_roundtrip");
  for (int channels : {1, 3, 4}) {
    auto img = test::pattern_image(37, 23, channels);
    auto path = dir / ("img" + std::to_string(channels) + ".png");
    write_png(path, img);
    auto back = read_image(path);
    CHECK(back.width == 37);
    CHECK(back.height == 23);
    CHECK(back.channels == channels);
    CHECK(back.pixels == img.pixels);
    auto header = read_image_header(path);
    CHECK(header.format == ImageFormat::PNG);
    CHECK(header.width == 37);
    CHECK(header.height == 23);
  }
}

TEST_CASE("A 1x1 image writes and reads back", "[io][codec]") {
  auto dir = test::temp_dir("io_codec_1x1");
  doc::Image8 img(1, 1, 4);
  img.pixels = {10, 20, 30, 40};
  write_png(dir / "one.png", img);
  auto back = read_image(dir / "one.png");
  CHECK(back.width == 1);
  CHECK(back.height == 1);
  CHECK(back.pixels == img.pixels);

  auto jpeg = cv_encode(red_bgr(1, 1), ".jpg");
  auto j = decode_image(jpeg, "one.jpg");
  CHECK(j.width == 1);
  CHECK(j.channels == 3);
}

TEST_CASE("Decoded pixels are RGB(A), never BGR, for every format", "[io][codec]") {
  const cv::Mat red = red_bgr(16, 8);
  struct Case {
    const char* ext;
    ImageFormat format;
  };
  for (auto c : {Case{".png", ImageFormat::PNG}, Case{".jpg", ImageFormat::JPEG}, Case{".webp", ImageFormat::WebP},
                 Case{".bmp", ImageFormat::BMP}, Case{".tiff", ImageFormat::TIFF}}) {
    INFO(c.ext);
    auto bytes = cv_encode(red, c.ext);
    auto header = probe_image_header(bytes, c.ext);
    CHECK(header.format == c.format);
    CHECK(header.width == 16);
    CHECK(header.height == 8);
    auto img = decode_image(bytes, c.ext);
    REQUIRE(img.channels == 3);
    CHECK(img.width == 16);
    CHECK(img.height == 8);
    CHECK(img.at(3, 4, 0) > 240);  // red
    CHECK(img.at(3, 4, 1) < 16);
    CHECK(img.at(3, 4, 2) < 16);
  }
}

TEST_CASE("Alpha is kept (4 channels) and grey stays 1 channel", "[io][codec]") {
  cv::Mat bgra(5, 7, CV_8UC4, cv::Scalar(255, 0, 0, 128));  // blue, half transparent
  for (const char* ext : {".png", ".webp", ".tiff"}) {
    INFO(ext);
    std::vector<int> params;
    if (std::string(ext) == ".webp") params = {cv::IMWRITE_WEBP_QUALITY, 101};  // lossless
    auto img = decode_image(cv_encode(bgra, ext, params), ext);
    REQUIRE(img.channels == 4);
    CHECK(img.at(2, 2, 0) == 0);
    CHECK(img.at(2, 2, 2) == 255);
    CHECK(img.at(2, 2, 3) == 128);
  }
  cv::Mat grey(4, 6, CV_8UC1, cv::Scalar(77));
  for (const char* ext : {".png", ".jpg", ".bmp"}) {
    INFO(ext);
    auto img = decode_image(cv_encode(grey, ext), ext);
    CHECK(img.channels == 1);
    CHECK(std::abs(int(img.at(1, 1)) - 77) <= 2);
  }
  cv::Mat grey16(3, 3, CV_16UC1, cv::Scalar(65535));
  auto img16 = decode_image(cv_encode(grey16, ".png"), "16bit.png");
  CHECK(img16.channels == 1);
  CHECK(img16.at(0, 0) == 255);
}

TEST_CASE("A 30000x30000 PNG header is refused before any pixel memory is allocated", "[io][codec][limits]") {
  auto dir = test::temp_dir("io_codec_huge");
  ByteVec png = test::png_signature();
  test::add_chunk(png, "IHDR", test::ihdr(30000, 30000));
  test::add_chunk(png, "IDAT", test::zlib_compress(std::string(64, '\0')));
  test::add_chunk(png, "IEND", {});
  auto path = dir / "huge.png";
  test::write_bytes(path, png);

  const long before = test::vm_peak_kib();
  REQUIRE_STRATA_ERROR(read_image(path), ErrorCode::TooLarge, "huge.png");
  REQUIRE_STRATA_ERROR(read_image(path), ErrorCode::TooLarge, "30000x30000");
  const long after = test::vm_peak_kib();
  // Decoding would have needed 30000*30000*3 bytes = 2.5 GiB of address space.
  REQUIRE(before > 0);
  CHECK(after - before < 512 * 1024);

  // The header alone is still readable (the CLI reports it).
  CHECK(read_image_header(path).width == 30000);
}

TEST_CASE("Size limits are configurable and apply to JPEG headers too", "[io][codec][limits]") {
  auto small = test::pattern_image(64, 48, 3);
  auto png = encode_png(small);
  ReadOptions tight;
  tight.max_width = 32;
  REQUIRE_STRATA_ERROR(decode_image(png, "wide.png", tight), ErrorCode::TooLarge, "wide.png");
  tight = {};
  tight.max_pixels = 64 * 48 - 1;
  REQUIRE_STRATA_ERROR(decode_image(png, "many.png", tight), ErrorCode::TooLarge, "3072 pixels");
  tight.max_pixels = 64 * 48;
  CHECK(decode_image(png, "exact.png", tight).width == 64);
  tight = {};
  tight.max_file_bytes = 10;
  auto dir = test::temp_dir("io_codec_limits");
  write_png(dir / "x.png", small);
  REQUIRE_STRATA_ERROR(read_image(dir / "x.png", tight), ErrorCode::TooLarge, "x.png");

  // A JPEG whose frame header claims 30000x30000: patch the SOF of a real JPEG.
  auto jpeg = cv_encode(red_bgr(8, 8), ".jpg");
  for (std::size_t i = 2; i + 8 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = 30000 >> 8; jpeg[i + 6] = 30000 & 0xFF;  // height
      jpeg[i + 7] = 30000 >> 8; jpeg[i + 8] = 30000 & 0xFF;  // width
      break;
    }
  }
  REQUIRE_STRATA_ERROR(decode_image(jpeg, "huge.jpg"), ErrorCode::TooLarge, "huge.jpg: JPEG header says 30000x30000");
}

TEST_CASE("Truncated and damaged PNG files are CorruptFile naming the file", "[io][codec][corrupt]") {
  auto png = encode_png(test::pattern_image(64, 64, 3));
  const std::size_t idat = test::find_bytes(png, "IDAT");
  REQUIRE(idat != std::string::npos);
  for (std::size_t cut : {std::size_t{0}, std::size_t{5}, std::size_t{20}, idat + 10, png.size() / 2, png.size() - 12, png.size() - 1}) {
    INFO("cut at " << cut);
    ByteVec part(png.begin(), png.begin() + static_cast<std::ptrdiff_t>(cut));
    REQUIRE_STRATA_ERROR(decode_image(part, "cut.png"), ErrorCode::CorruptFile, "cut.png");
  }
  ByteVec flipped = png;
  flipped[idat + 30] ^= 0xFF;  // damaged compressed data (and its CRC no longer matches)
  REQUIRE_STRATA_ERROR(decode_image(flipped, "flipped.png"), ErrorCode::CorruptFile, "flipped.png");
  REQUIRE_STRATA_ERROR(decode_image(test::bytes_of("GIF89a......"), "anim.gif"), ErrorCode::CorruptFile,
                       "not a PNG, JPEG, WebP, BMP or TIFF");
}

TEST_CASE("Truncated and damaged JPEG files are CorruptFile", "[io][codec][corrupt]") {
  cv::Mat noise(64, 64, CV_8UC3);
  cv::randu(noise, 0, 255);
  auto jpeg = cv_encode(noise, ".jpg");
  for (std::size_t cut : {std::size_t{3}, std::size_t{100}, jpeg.size() / 2, jpeg.size() - 2}) {
    INFO("cut at " << cut);
    ByteVec part(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(cut));
    REQUIRE_STRATA_ERROR(decode_image(part, "cut.jpg"), ErrorCode::CorruptFile, "cut.jpg");
  }
  CHECK(decode_image(jpeg, "whole.jpg").width == 64);
}

TEST_CASE("Missing files, folders and empty files are reported with their name", "[io][codec]") {
  auto dir = test::temp_dir("io_codec_missing");
  REQUIRE_STRATA_ERROR(read_image(dir / "nope.png"), ErrorCode::NotFound, "nope.png");
  REQUIRE_STRATA_ERROR(read_image(dir), ErrorCode::IoError, "is a folder");
  test::write_bytes(dir / "empty.png", {});
  REQUIRE_STRATA_ERROR(read_image(dir / "empty.png"), ErrorCode::CorruptFile, "empty.png: file is empty");
}

TEST_CASE("encode_png refuses images it cannot represent", "[io][codec]") {
  REQUIRE_STRATA_ERROR(encode_png(doc::Image8{}), ErrorCode::InvalidArgument, "non-empty");
  REQUIRE_STRATA_ERROR(encode_png(doc::Image8(2, 2, 2)), ErrorCode::InvalidArgument, "expected 1, 3 or 4");
  doc::Image8 short_buffer(4, 4, 3);
  short_buffer.pixels.resize(10);
  REQUIRE_STRATA_ERROR(encode_png(short_buffer), ErrorCode::InvalidArgument, "expected 48");
}

TEST_CASE("A TIFF signature without a header is CorruptFile, not a read past the end", "[io][codec][corrupt]") {
  // Found by fuzz_png_text: the 4 bytes "II*\0" made the TIFF probe read bytes 4..7.
  const std::vector<std::uint8_t> bytes{'I', 'I', '*', 0};
  REQUIRE_STRATA_ERROR(probe_image_header(bytes, "tiny.tiff"), ErrorCode::CorruptFile, "TIFF header truncated");
}
