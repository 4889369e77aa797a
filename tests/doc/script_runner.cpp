#include "script_runner.h"

#include <cctype>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "strata/doc/commands.h"
#include "strata/doc/compose.h"
#include "strata/doc/dump.h"
#include "strata/doc/error.h"

namespace strata::test {

namespace {

using namespace strata::doc;

std::vector<std::string> tokenize(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ' || line[i] == '\t') {
      ++i;
    } else if (line[i] == '#' && (i + 1 >= line.size() || !std::isxdigit(static_cast<unsigned char>(line[i + 1])))) {
      break;  // comment
    } else if (line[i] == '"') {
      std::string s;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        s += line[i];
      }
      if (i >= line.size()) throw std::runtime_error("unterminated string");
      ++i;
      out.push_back(s);
    } else {
      const std::size_t j = line.find_first_of(" \t", i);
      out.push_back(line.substr(i, j == std::string::npos ? std::string::npos : j - i));
      i = j == std::string::npos ? line.size() : j;
    }
  }
  return out;
}

class Runner {
 public:
  std::string run(const std::string& script) {
    std::istringstream in(script);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::vector<std::string> t;
      try {
        t = tokenize(line);
      } catch (const std::exception& e) {
        throw std::runtime_error("line " + std::to_string(number) + ": " + e.what());
      }
      if (t.empty()) continue;
      out_ << "> " << line << "\n";
      const bool expect_error = t[0] == "expect_error";
      if (expect_error) t.erase(t.begin());
      try {
        execute(t);
        if (expect_error) throw std::runtime_error("expected an error, got none");
      } catch (const Error& e) {
        if (!expect_error) throw std::runtime_error("line " + std::to_string(number) + ": unexpected error: " + e.what());
        out_ << "  error (" << to_string(e.code()) << "): " << e.what() << "\n";
      } catch (const std::exception& e) {
        throw std::runtime_error("line " + std::to_string(number) + " `" + line + "`: " + e.what());
      }
    }
    return out_.str();
  }

 private:
  void expect_args(const std::vector<std::string>& t, std::size_t n) {
    if (t.size() != n + 1) {
      throw std::runtime_error(t[0] + ": expected " + std::to_string(n) + " arguments, found " +
                               std::to_string(t.size() - 1));
    }
  }
  static int num(const std::string& s) { return std::stoi(s); }
  static LayerId id(const std::string& s) { return LayerId{static_cast<std::uint32_t>(std::stoul(s))}; }
  static Rect rect(const std::vector<std::string>& t, std::size_t at) {
    return {num(t[at]), num(t[at + 1]), num(t[at + 2]), num(t[at + 3])};
  }
  static Rgba8 color(const std::string& s) {
    if (s.size() != 7 && s.size() != 9) throw std::runtime_error("bad colour " + s);
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)); };
    return {byte(1), byte(3), byte(5), s.size() == 9 ? byte(7) : std::uint8_t{255}};
  }
  static Image8 solid(int w, int h, Rgba8 c) {
    Image8 img(w, h, 4);
    for (std::size_t i = 0; i < img.pixels.size(); i += 4) {
      img.pixels[i] = c.r;
      img.pixels[i + 1] = c.g;
      img.pixels[i + 2] = c.b;
      img.pixels[i + 3] = c.a;
    }
    return img;
  }
  static Image8 gradient(int w, int h) {
    Image8 img(w, h, 4);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        img.at(x, y, 0) = static_cast<std::uint8_t>(x);
        img.at(x, y, 1) = static_cast<std::uint8_t>(y);
        img.at(x, y, 2) = static_cast<std::uint8_t>(x ^ y);
        img.at(x, y, 3) = 255;
      }
    }
    return img;
  }

  template <typename C>
  void push(std::unique_ptr<C> cmd) {
    history_.push(std::move(cmd));
    out_ << "  = " << history_.undo_text() << "\n";
  }

  void execute(const std::vector<std::string>& t);

  Document doc_;
  History history_{doc_};
  std::ostringstream out_;
};

void Runner::execute(const std::vector<std::string>& t) {
  const std::string& c = t[0];
  if (c == "add_raster") {
    expect_args(t, 6);
    const Rect r = rect(t, 2);
    push(AddLayer::raster(t[1], solid(r.width, r.height, color(t[6])), r.x, r.y));
  } else if (c == "add_gradient") {
    expect_args(t, 5);
    const Rect r = rect(t, 2);
    push(AddLayer::raster(t[1], gradient(r.width, r.height), r.x, r.y));
  } else if (c == "add_empty") {
    expect_args(t, 1);
    push(AddLayer::empty_raster(t[1]));
  } else if (c == "add_mask") {
    expect_args(t, 1);
    push(AddLayer::mask(t[1]));
  } else if (c == "delete") {
    expect_args(t, 1);
    push(std::make_unique<DeleteLayer>(id(t[1])));
  } else if (c == "duplicate") {
    expect_args(t, 1);
    push(std::make_unique<DuplicateLayer>(id(t[1])));
  } else if (c == "merge_down") {
    expect_args(t, 1);
    push(std::make_unique<MergeDown>(id(t[1])));
  } else if (c == "move") {
    expect_args(t, 2);
    push(std::make_unique<MoveLayer>(id(t[1]), static_cast<std::size_t>(std::stoul(t[2]))));
  } else if (c == "rename") {
    expect_args(t, 2);
    push(std::make_unique<RenameLayer>(id(t[1]), t[2]));
  } else if (c == "show" || c == "hide") {
    expect_args(t, 1);
    push(set_visible(id(t[1]), c == "show"));
  } else if (c == "lock" || c == "unlock") {
    expect_args(t, 1);
    push(set_locked(id(t[1]), c == "lock"));
  } else if (c == "invert") {
    expect_args(t, 1);
    push(invert_mask(doc_, id(t[1])));
  } else if (c == "opacity") {
    expect_args(t, 2);
    push(set_opacity(id(t[1]), std::stof(t[2])));
  } else if (c == "strength") {
    expect_args(t, 2);
    push(set_strength(id(t[1]), std::stof(t[2])));
  } else if (c == "feather") {
    expect_args(t, 2);
    push(set_feather(id(t[1]), num(t[2])));
  } else if (c == "position") {
    expect_args(t, 3);
    push(std::make_unique<SetLayerPosition>(id(t[1]), num(t[2]), num(t[3])));
  } else if (c == "fill") {
    expect_args(t, 6);
    if (t[6][0] == '#') {
      push(fill_rect(doc_, id(t[1]), rect(t, 2), color(t[6])));
    } else {
      push(fill_mask(doc_, id(t[1]), rect(t, 2), static_cast<std::uint8_t>(num(t[6]))));
    }
  } else if (c == "paint") {
    expect_args(t, 6);
    const Rect r = rect(t, 2);
    push(write_pixels(doc_, id(t[1]), solid(r.width, r.height, color(t[6])), r.x, r.y));
  } else if (c == "clear") {
    expect_args(t, 5);
    push(clear_rect(doc_, id(t[1]), rect(t, 2)));
  } else if (c == "clear_layer") {
    expect_args(t, 1);
    push(clear_layer(doc_, id(t[1])));
  } else if (c == "bbox") {
    expect_args(t, 4);
    push(std::make_unique<SetBBox>(rect(t, 1)));
  } else if (c == "undo" || c == "redo") {
    expect_args(t, 0);
    const std::string text = c == "undo" ? history_.undo_text() : history_.redo_text();
    if (c == "undo") history_.undo(); else history_.redo();
    out_ << "  " << c << ": " << (text.empty() ? "(nothing)" : text) << "\n";
  } else if (c == "history") {
    expect_args(t, 0);
    for (const std::string& s : history_.undo_texts()) out_ << "  undo: " << s << "\n";
    for (const std::string& s : history_.redo_texts()) out_ << "  redo: " << s << "\n";
  } else if (c == "dump") {
    expect_args(t, 0);
    std::istringstream d(dump(doc_));
    for (std::string l; std::getline(d, l);) out_ << "  " << l << "\n";
  } else if (c == "pixel") {
    expect_args(t, 3);
    const Image8 px = doc_.read_region(id(t[1]), {num(t[2]), num(t[3]), 1, 1});
    out_ << " ";
    for (const std::uint8_t v : px.pixels) out_ << " " << int{v};
    out_ << "\n";
  } else if (c == "strength_at") {
    expect_args(t, 2);
    // Composed over the bbox, as a generation is: whether a mask is present depends on the rect.
    const Rect bbox = doc_.bbox();
    const int x = num(t[1]) - bbox.x, y = num(t[2]) - bbox.y;
    if (x < 0 || y < 0 || x >= bbox.width || y >= bbox.height) throw std::runtime_error("strength_at: outside the bbox");
    const Composition comp = compose(doc_, bbox);
    const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(bbox.width) + static_cast<std::size_t>(x);
    char buf[64];
    std::snprintf(buf, sizeof buf, "  S=%.3f rgba=%d %d %d %d\n", comp.strength.pixels[i], comp.rgba.pixels[i * 4],
                  comp.rgba.pixels[i * 4 + 1], comp.rgba.pixels[i * 4 + 2], comp.rgba.pixels[i * 4 + 3]);
    out_ << buf;
  } else {
    throw std::runtime_error("unknown command " + c);
  }
}

}  // namespace

std::string run_doc_script(const std::string& script) { return Runner().run(script); }

}  // namespace strata::test
