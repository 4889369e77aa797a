// Loading CLIPTokenizer vocabularies: Hugging Face vocab.json + merges.txt, openai's
// bpe_simple_vocab_16e6.txt.gz, and the folder layouts that hold them.
// Ref: transformers CLIPTokenizer.__init__ (merges[1:49152-256-2+1]), openai/CLIP
// simple_tokenizer.py SimpleTokenizer.__init__ (vocabulary construction from the merges).
#include <zlib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "strata/diffusion/clip_tokenizer.h"
#include "strata/doc/error.h"
#include "tokenizer/clip_tokenizer_impl.h"
#include "tokenizer/unicode.h"

namespace strata::diffusion {

using doc::Error;
using doc::ErrorCode;

namespace {

namespace fs = std::filesystem;

constexpr const char* kWhereToPut =
    "a CLIP tokenizer is a folder with vocab.json and merges.txt (a diffusers model's tokenizer/ "
    "folder) or openai's bpe_simple_vocab_16e6.txt.gz; put one in a tokenizer/ folder next to the "
    "model, or pass --tokenizer PATH";

std::string name(const fs::path& p) {
  return p.string();
}

void require_file(const fs::path& p, std::string_view what) {
  std::error_code ec;
  const auto st = fs::status(p, ec);
  if (!fs::exists(st)) {
    throw Error(ErrorCode::NotFound,
                std::string(what) + " " + name(p) + " not found; " + kWhereToPut);
  }
  if (!fs::is_regular_file(st)) {
    throw Error(ErrorCode::IoError, std::string(what) + " " + name(p) + " is not a regular file");
  }
}

std::string read_text_file(const fs::path& p, std::string_view what) {
  require_file(p, what);
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ErrorCode::IoError, "cannot open " + std::string(what) + " " + name(p));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::IoError, "cannot read " + std::string(what) + " " + name(p));
  return ss.str();
}

std::string read_gzip_file(const fs::path& p) {
  require_file(p, "CLIP BPE vocabulary");
  gzFile f = gzopen(p.c_str(), "rb");
  if (f == nullptr) throw Error(ErrorCode::IoError, "cannot open " + name(p));
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > (64u << 20)) {
      gzclose_r(f);
      throw Error(ErrorCode::TooLarge, name(p) +
                                           " decompresses to more than 64 MiB; expected "
                                           "about 1.6 MB of BPE merges");
    }
  }
  const bool direct = gzdirect(f) != 0;
  int err = Z_OK;
  const char* msg = gzerror(f, &err);
  const std::string detail = msg != nullptr ? msg : "";
  const int close_err = gzclose_r(f);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END) || close_err != Z_OK) {
    throw Error(ErrorCode::CorruptFile, name(p) + ": gzip data is truncated or corrupt (" +
                                            (detail.empty() ? "zlib error" : detail) + ")");
  }
  if (direct) {
    throw Error(ErrorCode::CorruptFile, name(p) +
                                            ": not a gzip file (expected openai's "
                                            "bpe_simple_vocab_16e6.txt.gz)");
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

// merge.split(): whitespace-separated fields; a merge needs exactly two.
bool split_merge(const std::string& line, std::pair<std::string, std::string>& merge) {
  std::istringstream in(line);
  std::string a, b, extra;
  if (!(in >> a >> b) || (in >> extra)) return false;
  merge = {std::move(a), std::move(b)};
  return true;
}

// Lines [1, 1 + kMaxMerges) hold the merges (line 0 is a version header); malformed lines are
// skipped, which is what a Python dict of one-element tuples amounts to.
std::vector<std::pair<std::string, std::string>> parse_merges(const std::string& text,
                                                              const fs::path& p) {
  std::u32string check;
  if (!unicode::decode_utf8_strict(text, check)) {
    throw Error(ErrorCode::CorruptFile, name(p) + ": merges are not valid UTF-8");
  }
  const std::vector<std::string> lines = split_lines(text);
  std::vector<std::pair<std::string, std::string>> merges;
  for (std::size_t i = 1; i < lines.size() && i <= static_cast<std::size_t>(clip::kMaxMerges);
       ++i) {
    std::pair<std::string, std::string> m;
    if (split_merge(lines[i], m)) merges.push_back(std::move(m));
  }
  if (merges.empty()) {
    throw Error(ErrorCode::CorruptFile, name(p) +
                                            ": no BPE merges found (expected a header line "
                                            "and then one \"a b\" pair per line)");
  }
  return merges;
}

}  // namespace

CLIPTokenizer CLIPTokenizer::from_files(const fs::path& vocab_json, const fs::path& merges_txt) {
  const std::string vocab_text = read_text_file(vocab_json, "CLIP vocabulary");
  const std::string merges_text = read_text_file(merges_txt, "CLIP merges");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(vocab_text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::CorruptFile, name(vocab_json) + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) {
    throw Error(
        ErrorCode::CorruptFile,
        name(vocab_json) + ": expected a JSON object {\"token\": id}, found " + j.type_name());
  }
  std::unordered_map<std::string, int> vocab;
  vocab.reserve(j.size());
  for (const auto& [tok, id] : j.items()) {
    if (!id.is_number_integer()) {
      throw Error(ErrorCode::CorruptFile,
                  name(vocab_json) + ": token \"" + tok + "\" has a non-integer id " + id.dump());
    }
    const auto v = id.get<long long>();
    if (v < 0 || v > 10'000'000) {
      throw Error(ErrorCode::CorruptFile, name(vocab_json) + ": token \"" + tok + "\" has id " +
                                              std::to_string(v) + ", expected 0..10000000");
    }
    vocab[tok] = static_cast<int>(v);
  }
  auto merges = parse_merges(merges_text, merges_txt);
  try {
    clip::BpeModel model(std::move(vocab), merges);
    return CLIPTokenizer(std::make_unique<Impl>(std::move(model)));
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::CorruptFile, name(vocab_json) + ": " + e.what());
  }
}

CLIPTokenizer CLIPTokenizer::from_bpe_gz(const fs::path& bpe_gz) {
  const auto merges = parse_merges(read_gzip_file(bpe_gz), bpe_gz);
  // openai: byte symbols, byte symbols + "</w>", joined merges, then the two specials.
  std::vector<std::string> ordered;
  ordered.reserve(512 + merges.size() + 2);
  const auto& to_unicode = clip::byte_to_unicode();
  for (std::uint8_t b : clip::vocabulary_byte_order()) {
    std::string s;
    unicode::append_utf8(s, to_unicode[b]);
    ordered.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < 256; ++i) ordered.push_back(ordered[i] + "</w>");
  for (const auto& [a, b] : merges) ordered.push_back(a + b);
  ordered.emplace_back(clip::kStartOfText);
  ordered.emplace_back(clip::kEndOfText);
  std::unordered_map<std::string, int> vocab;
  vocab.reserve(ordered.size());
  for (std::size_t i = 0; i < ordered.size(); ++i) vocab[ordered[i]] = static_cast<int>(i);
  clip::BpeModel model(std::move(vocab), merges);
  return CLIPTokenizer(std::make_unique<Impl>(std::move(model)));
}

CLIPTokenizer CLIPTokenizer::from_path(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const fs::path& dir : {path, path / "tokenizer"}) {
      if (fs::exists(dir / "vocab.json", ec) && fs::exists(dir / "merges.txt", ec)) {
        return from_files(dir / "vocab.json", dir / "merges.txt");
      }
    }
    for (const fs::path& gz : {path / "bpe_simple_vocab_16e6.txt.gz",
                               path / "tokenizer" / "bpe_simple_vocab_16e6.txt.gz"}) {
      if (fs::exists(gz, ec)) return from_bpe_gz(gz);
    }
    throw Error(ErrorCode::NotFound, "no CLIP tokenizer in " + name(path) +
                                         " (looked for vocab.json + merges.txt, tokenizer/, "
                                         "bpe_simple_vocab_16e6.txt.gz); " +
                                         kWhereToPut);
  }
  if (!fs::exists(path, ec)) {
    throw Error(ErrorCode::NotFound, "CLIP tokenizer " + name(path) + " not found; " + kWhereToPut);
  }
  const std::string file = path.filename().string();
  if (file.size() >= 3 && file.ends_with(".gz")) return from_bpe_gz(path);
  if (file == "vocab.json") return from_files(path, path.parent_path() / "merges.txt");
  if (file == "merges.txt") return from_files(path.parent_path() / "vocab.json", path);
  throw Error(ErrorCode::InvalidArgument,
              name(path) + " is not a CLIP tokenizer file; " + kWhereToPut);
}

}  // namespace strata::diffusion
