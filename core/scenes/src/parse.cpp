// parse.cpp — reading the attributes a prompt states (see prompt.h).
#include <cctype>
#include <map>
#include <string>

#include "strata/scenes/prompt.h"

namespace strata::scenes {
namespace {

using Tokens = std::vector<std::string>;

Tokens tokenize(const std::string& text) {
  Tokens out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(word), word.clear();
  };
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      word += static_cast<char>(std::tolower(c));
    } else {
      flush();
      if (ch == ',' || ch == ';' || ch == ':' || ch == '.') out.emplace_back(",");
    }
  }
  flush();
  return out;
}

std::optional<Colour> colour_word(const std::string& w) {
  static const std::map<std::string, Colour> words = {
      {"red", Colour::Red},       {"green", Colour::Green},   {"blue", Colour::Blue},   {"yellow", Colour::Yellow},
      {"orange", Colour::Orange}, {"purple", Colour::Purple}, {"violet", Colour::Purple}, {"white", Colour::White},
      {"black", Colour::Black},   {"pink", Colour::Pink},     {"cyan", Colour::Cyan},   {"turquoise", Colour::Cyan},
      {"brown", Colour::Brown},   {"grey", Colour::Grey},     {"gray", Colour::Grey}};
  const auto it = words.find(w);
  return it == words.end() ? std::nullopt : std::optional(it->second);
}

// A shape noun (singular or plural). `generic` is set for "shape" / "object" (no kind stated).
std::optional<Kind> kind_word(const std::string& w, bool* generic = nullptr) {
  static const std::map<std::string, Kind> words = {
      {"circle", Kind::Circle},   {"disc", Kind::Circle},   {"disk", Kind::Circle},   {"dot", Kind::Circle},
      {"square", Kind::Square},   {"triangle", Kind::Triangle}, {"star", Kind::Star}, {"ring", Kind::Ring},
      {"donut", Kind::Ring},      {"cross", Kind::Cross},   {"plus", Kind::Cross},    {"heart", Kind::Heart},
      {"hexagon", Kind::Hexagon}};
  std::string s = w;
  auto it = words.find(s);
  if (it == words.end() && s.size() > 2 && s.ends_with("es")) it = words.find(s.substr(0, s.size() - 2));
  if (it == words.end() && s.size() > 1 && s.ends_with('s')) it = words.find(s.substr(0, s.size() - 1));
  if (it != words.end()) return it->second;
  if (generic && (w == "shape" || w == "object")) *generic = true;
  return std::nullopt;
}

std::optional<Size> size_word(const std::string& w) {
  if (w == "small" || w == "little" || w == "tiny") return Size::Small;
  if (w == "large" || w == "big" || w == "huge") return Size::Large;
  return std::nullopt;
}

bool is_noun_at(const Tokens& t, std::size_t i) {
  bool generic = false;
  return i < t.size() && (kind_word(t[i], &generic) || generic);
}

class Parser {
 public:
  explicit Parser(Tokens t) : t_(std::move(t)) {}

  std::optional<SceneSpec> run() {
    for (i_ = 0; i_ < t_.size(); ++i_) step();
    if (pending_relation_) spec_.relation.reset();
    if (!bg_colours_.empty()) {
      BackgroundSpec bg{bg_kind_, bg_colours_[0], std::nullopt};
      if (bg_kind_ != BackgroundKind::Solid && bg_colours_.size() > 1) bg.b = bg_colours_[1];
      spec_.bg = bg;
    }
    if (spec_.shapes.empty() && !spec_.bg) return std::nullopt;
    return spec_;
  }

 private:
  const std::string& at(std::size_t i) const {
    static const std::string none;
    return i < t_.size() ? t_[i] : none;
  }

  void step() {
    const std::string& w = t_[i_];
    if (auto c = colour_word(w)) {
      std::size_t j = i_ + 1;
      while (size_word(at(j))) ++j;
      if (is_noun_at(t_, j)) pending_colour_ = c;
      else bg_colours_.push_back(*c);
    } else if (auto s = size_word(w)) {
      pending_size_ = s;
    } else if (w == "striped" || w == "stripes" || w == "stripy" || w == "stripe") {
      bg_kind_ = BackgroundKind::Stripes;
    } else if (w == "gradient") {
      bg_kind_ = BackgroundKind::Gradient;
    } else if (is_noun_at(t_, i_)) {
      ShapeSpec shape{kind_word(w), pending_colour_, pending_size_, std::nullopt};
      pending_colour_.reset();
      pending_size_.reset();
      spec_.shapes.push_back(shape);
      if (pending_relation_) {
        spec_.relation = Relation{*pending_relation_, static_cast<int>(spec_.shapes.size()) - 2,
                                  static_cast<int>(spec_.shapes.size()) - 1};
        pending_relation_.reset();
      }
      trailing();
    }
  }

  // After a shape noun: a relation to the next shape, or a position.
  void trailing() {
    std::size_t j = i_ + 1;
    auto word = [&](std::size_t k) -> const std::string& { return at(j + k); };
    std::optional<RelationKind> rel;
    std::size_t used = 0;
    if ((word(0) == "to" || word(0) == "on") && word(1) == "the" && (word(2) == "left" || word(2) == "right") &&
        word(3) == "of") {
      rel = word(2) == "left" ? RelationKind::LeftOf : RelationKind::RightOf, used = 4;
    } else if ((word(0) == "left" || word(0) == "right") && word(1) == "of") {
      rel = word(0) == "left" ? RelationKind::LeftOf : RelationKind::RightOf, used = 2;
    } else if (word(0) == "above" || word(0) == "over") {
      rel = RelationKind::Above, used = 1;
    } else if (word(0) == "below" || word(0) == "under" || word(0) == "beneath" || word(0) == "underneath") {
      rel = RelationKind::Below, used = 1;
    } else if ((word(0) == "next" && word(1) == "to") || word(0) == "beside" || word(0) == "alongside") {
      rel = RelationKind::NextTo, used = word(0) == "next" ? 2 : 1;
    }
    if (rel) {
      if (spec_.shapes.size() < 2 || !spec_.relation) pending_relation_ = rel;
      i_ = j + used - 1;
      return;
    }
    if (word(0) == "in" || word(0) == "at" || word(0) == "on") ++j;
    if (word(0) == "the") ++j;
    int col = 0, row = 0;
    bool any = false;
    for (;; ++j) {
      const std::string& p = at(j);
      if (p == "left") col = -1;
      else if (p == "right") col = 1;
      else if (p == "top" || p == "upper") row = -1;
      else if (p == "bottom" || p == "lower") row = 1;
      else if (p != "centre" && p != "center" && p != "middle" && p != "central" && p != "corner" && p != "side" &&
               p != "edge" && p != "part")
        break;
      any = true;
    }
    if (!any) return;
    spec_.shapes.back().pos = position_of(0.5f + 0.3f * static_cast<float>(col), 0.5f + 0.3f * static_cast<float>(row));
    i_ = j - 1;
  }

  Tokens t_;
  std::size_t i_ = 0;
  SceneSpec spec_;
  std::optional<Colour> pending_colour_;
  std::optional<Size> pending_size_;
  std::optional<RelationKind> pending_relation_;
  std::vector<Colour> bg_colours_;
  BackgroundKind bg_kind_ = BackgroundKind::Solid;
};

}  // namespace

SceneSpec spec_of(const Scene& scene) {
  SceneSpec spec;
  BackgroundSpec bg{scene.bg.kind, scene.bg.a, std::nullopt};
  if (scene.bg.kind != BackgroundKind::Solid) bg.b = scene.bg.b;
  spec.bg = bg;
  for (const Shape& s : scene.shapes) spec.shapes.push_back({s.kind, s.colour, s.size, s.pos});
  spec.relation = scene.relation;
  return spec;
}

std::optional<SceneSpec> parse_prompt(const std::string& prompt) { return Parser(tokenize(prompt)).run(); }

}  // namespace strata::scenes
