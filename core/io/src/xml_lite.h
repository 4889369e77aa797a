// A small XML reader and escaper for OpenRaster's stack.xml. Internal to strata_io.
//
// Accepts XML 1.0 documents in UTF-8: an optional BOM, XML declaration, comments, processing
// instructions and a DOCTYPE without an internal subset around one root element; inside it,
// elements, attributes (single or double quotes; values normalised: literal tab/newline/CR become
// spaces), character data, CDATA sections, comments and PIs. Entity references: the five named
// ones and &#N; / &#xH;. Text content is validated and dropped — stack.xml keeps everything in
// attributes. Namespaces are not processed: a prefixed name is just a name with a colon.
// Refused (CorruptFile "<name>: line N: ..."): invalid UTF-8, characters XML forbids, unknown
// entities, mismatched or unclosed tags, duplicate attributes, content after the root, nesting
// deeper than `max_depth`, more than `max_elements` elements.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::io::detail {

struct XmlElement {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // document order, decoded
  std::vector<XmlElement> children;
  int line = 0;  // where the start tag begins (1-based)

  const std::string* attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes)
      if (k == key) return &v;
    return nullptr;
  }
};

XmlElement parse_xml(std::string_view text, std::string_view name, int max_depth = 64,
                     std::size_t max_elements = 1u << 20);

// Escapes text for a double-quoted attribute value (& < > " ' and tab/newline/CR as references).
// Invalid UTF-8 becomes U+FFFD; other control characters are dropped (XML 1.0 cannot hold them).
std::string xml_escape(std::string_view text);

// An XML Name (ASCII letters, digits, '_', ':', '-', '.', and any non-ASCII byte; not starting
// with a digit, '-' or '.').
bool is_xml_name(std::string_view name);

}  // namespace strata::io::detail
