// A small XML reader for stack.xml (see xml_lite.h). Recursive descent over a string_view with a
// depth limit; every error names the line.
#include "xml_lite.h"

#include <algorithm>
#include <cstdint>

#include "detail.h"
#include "strata/io/png_text.h"

namespace strata::io::detail {

namespace {

bool name_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || u >= 0x80;
}
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  Parser(std::string_view text, std::string_view name, int max_depth, std::size_t max_elements)
      : text_(text), name_(name), max_depth_(max_depth), max_elements_(max_elements) {}

  XmlElement document() {
    if (const std::string clean = sanitize_utf8(text_); clean != text_) {
      auto bad = std::mismatch(text_.begin(), text_.end(), clean.begin(), clean.end()).first - text_.begin();
      fail_at(static_cast<std::size_t>(bad), "not valid UTF-8");
    }
    for (std::size_t i = 0; i < text_.size(); ++i) {
      auto c = static_cast<unsigned char>(text_[i]);
      if (c < 0x20 && !space(text_[i])) fail_at(i, "control character " + std::to_string(c) + " is not allowed in XML");
    }
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    misc(true);
    if (!at("<") || pos_ + 1 >= text_.size() || !name_start(text_[pos_ + 1])) fail("expected the root element");
    XmlElement root = element(1);
    misc(false);
    if (pos_ < text_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) {
    corrupt(name_, "line " + std::to_string(line_of(std::min(at, text_.size()))) + ": " + what);
  }
  [[noreturn]] void fail(const std::string& what) { fail_at(pos_, what); }

  bool at(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  void skip_space() {
    while (pos_ < text_.size() && space(text_[pos_])) ++pos_;
  }
  void expect(std::string_view s, const char* what) {
    if (!at(s)) fail(std::string("expected ") + what);
    pos_ += s.size();
  }
  // Skips to just after `end`; `what` names the construct for the error.
  void skip_past(std::string_view end, const char* what) {
    auto k = text_.find(end, pos_);
    if (k == std::string_view::npos) fail(std::string("unterminated ") + what);
    pos_ = k + end.size();
  }

  // 1-based line of offset `at`; incremental, so that numbering every element stays linear.
  int line_of(std::size_t at) {
    if (at < counted_to_) {
      counted_to_ = 0;
      line_ = 1;
    }
    line_ += static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(counted_to_),
                                         text_.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    counted_to_ = at;
    return line_;
  }

  // Comments, PIs, whitespace (and, before the root, the declaration and a DOCTYPE).
  void misc(bool prolog) {
    for (;;) {
      skip_space();
      if (at("<?")) {
        skip_past("?>", "processing instruction");
      } else if (at("<!--")) {
        skip_past("-->", "comment");
      } else if (prolog && at("<!DOCTYPE")) {
        auto end = text_.find('>', pos_);
        auto bracket = text_.find('[', pos_);
        if (bracket != std::string_view::npos && bracket < end) fail("a DOCTYPE with an internal subset is not supported");
        if (end == std::string_view::npos) fail("unterminated DOCTYPE");
        pos_ = end + 1;
      } else {
        return;
      }
    }
  }

  std::string name() {
    const std::size_t start = pos_;
    if (pos_ >= text_.size() || !name_start(text_[pos_])) fail("expected a name");
    while (pos_ < text_.size() && name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  // Decodes the reference at pos_ ('&') into `out`.
  void reference(std::string& out) {
    const auto end = text_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 12) fail("unterminated entity reference");
    const std::string_view ref = text_.substr(pos_ + 1, end - pos_ - 1);
    static constexpr std::pair<std::string_view, char> named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (auto [n, c] : named) {
      if (ref == n) {
        out.push_back(c);
        pos_ = end + 1;
        return;
      }
    }
    if (ref.empty() || ref[0] != '#') fail("unknown entity &" + std::string(ref) + ";");
    const bool hex = ref.size() > 1 && ref[1] == 'x';
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) fail("empty character reference");
    std::uint32_t cp = 0;
    for (char c : digits) {
      int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) fail("bad character reference &" + std::string(ref) + ";");
      cp = cp * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
      if (cp > 0x10FFFF) fail("character reference out of range");
    }
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                         (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
    if (!allowed) fail("character reference &" + std::string(ref) + "; is not an XML character");
    append_utf8(out, cp);
    pos_ = end + 1;
  }

  std::string attribute_value() {
    const char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '"' && quote != '\'') fail("expected a quoted attribute value");
    ++pos_;
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) fail("unterminated attribute value");
      const char c = text_[pos_];
      if (c == quote) break;
      if (c == '<') fail("'<' in an attribute value");
      if (c == '&') {
        reference(out);
        continue;
      }
      out.push_back(space(c) ? ' ' : c);
      ++pos_;
    }
    ++pos_;
    return out;
  }

  // Character data, CDATA, comments, PIs and child elements up to the end tag of `parent`.
  void content(XmlElement& parent, int depth) {
    for (;;) {
      if (pos_ >= text_.size()) fail("element <" + parent.name + "> is not closed");
      if (at("</")) {
        pos_ += 2;
        if (name() != parent.name) fail("end tag does not match <" + parent.name + ">");
        skip_space();
        expect(">", "'>'");
        return;
      }
      if (at("<!--")) {
        skip_past("-->", "comment");
      } else if (at("<![CDATA[")) {
        skip_past("]]>", "CDATA section");
      } else if (at("<?")) {
        skip_past("?>", "processing instruction");
      } else if (at("<")) {
        parent.children.push_back(element(depth + 1));
      } else if (text_[pos_] == '&') {
        std::string ignored;
        reference(ignored);
      } else {
        ++pos_;
      }
    }
  }

  XmlElement element(int depth) {
    if (depth > max_depth_) fail("elements nested deeper than " + std::to_string(max_depth_));
    if (++elements_ > max_elements_) fail("more than " + std::to_string(max_elements_) + " elements");
    XmlElement e;
    e.line = line_of(pos_);
    expect("<", "'<'");
    e.name = name();
    for (;;) {
      const bool had_space = pos_ < text_.size() && space(text_[pos_]);
      skip_space();
      if (at("/>")) {
        pos_ += 2;
        return e;
      }
      if (at(">")) {
        ++pos_;
        content(e, depth);
        return e;
      }
      if (!had_space) fail("expected whitespace, '>' or '/>' in <" + e.name + ">");
      std::string key = name();
      skip_space();
      expect("=", "'=' after an attribute name");
      skip_space();
      std::string value = attribute_value();
      if (e.attribute(key)) fail("duplicate attribute " + key + " in <" + e.name + ">");
      e.attributes.emplace_back(std::move(key), std::move(value));
    }
  }

  std::string_view text_;
  std::string_view name_;
  int max_depth_;
  std::size_t max_elements_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
  std::size_t counted_to_ = 0;
  int line_ = 1;
};

}  // namespace

XmlElement parse_xml(std::string_view text, std::string_view name, int max_depth, std::size_t max_elements) {
  return Parser(text, name, max_depth, max_elements).document();
}

std::string xml_escape(std::string_view text) {
  const std::string clean = sanitize_utf8(text);
  std::string out;
  out.reserve(clean.size() + 8);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
    }
  }
  return out;
}

bool is_xml_name(std::string_view name) {
  if (name.empty() || !name_start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), name_char);
}

}  // namespace strata::io::detail
