// The small XML reader behind stack.xml: what it accepts, decodes and refuses.
#include <catch2/catch.hpp>

#include "io_test_util.h"
#include "xml_lite.h"

using namespace strata;
using namespace strata::io::detail;
using doc::ErrorCode;

TEST_CASE("parse_xml: elements, attributes, entities", "[io][xml]") {
  const std::string text =
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<a x='1' y = \"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;\">\n"
      "  text &amp; more <?pi stuff?> <![CDATA[<raw>]]>\n"
      "  <b z=\"line&#10;break\" w=\"tab\there\"/><c></c>\n</a>\n<!-- after -->\n";
  XmlElement a = parse_xml(text, "t.xml");
  CHECK(a.name == "a");
  CHECK(a.line == 3);
  REQUIRE(a.attributes.size() == 2);
  CHECK(*a.attribute("x") == "1");
  CHECK(*a.attribute("y") == "<>&\"'AB");
  CHECK(a.attribute("nope") == nullptr);
  REQUIRE(a.children.size() == 2);
  CHECK(a.children[0].name == "b");
  CHECK(a.children[0].line == 5);
  CHECK(*a.children[0].attribute("z") == "line\nbreak");
  CHECK(*a.children[0].attribute("w") == "tab here");  // literal whitespace normalised
  CHECK(a.children[1].name == "c");
}

TEST_CASE("parse_xml: UTF-8 names and values, prefixed names", "[io][xml]") {
  XmlElement e = parse_xml("<ïmage strata:ü=\"ünï &#x1F600;\"/>", "u.xml");
  CHECK(e.name == "ïmage");
  CHECK(*e.attribute("strata:ü") == "ünï \xF0\x9F\x98\x80");
}

TEST_CASE("parse_xml: refusals name the file and line", "[io][xml]") {
  const std::pair<const char*, const char*> cases[] = {
      {"<a>", "t.xml: line 1: element <a> is not closed"},
      {"<a></b>", "end tag does not match <a>"},
      {"<a x=1/>", "expected a quoted attribute value"},
      {"<a x=\"1\"y=\"2\"/>", "expected whitespace"},
      {"<a x=\"<\"/>", "'<' in an attribute value"},
      {"<a x=\"&#0;\"/>", "is not an XML character"},
      {"<a x=\"&#xD800;\"/>", "is not an XML character"},
      {"<a x=\"&#x110000;\"/>", "out of range"},
      {"<a x=\"&#;\"/>", "empty character reference"},
      {"<a x=\"&#12a;\"/>", "bad character reference"},
      {"<a x=\"&amp\"/>", "unterminated entity"},
      {"<a>\x01</a>", "control character 1"},
      {"\n\n<a><!-- x</a>", "line 3: unterminated comment"},
      {"<a/><b/>", "content after the root element"},
      {"text", "expected the root element"},
      {"<1a/>", "expected the root element"},
      {"<a x=\"1\" x=\"2\"/>", "duplicate attribute x"},
      {"<a x=\"1", "unterminated attribute value"},
  };
  for (auto [text, fragment] : cases) {
    INFO(text);
    REQUIRE_STRATA_ERROR(parse_xml(text, "t.xml"), ErrorCode::CorruptFile, fragment);
  }
  REQUIRE_STRATA_ERROR(parse_xml("<a><b><c/></b></a>", "t.xml", 2), ErrorCode::CorruptFile, "nested deeper than 2");
  REQUIRE_STRATA_ERROR(parse_xml("<a><b/><b/><b/></a>", "t.xml", 64, 3), ErrorCode::CorruptFile, "more than 3 elements");
}

TEST_CASE("xml_escape round-trips through parse_xml", "[io][xml]") {
  const std::string odd = "a & <b> \"c\" 'd' ünï\ttab\nnl\rcr";
  XmlElement e = parse_xml("<a v=\"" + xml_escape(odd) + "\"/>", "t.xml");
  CHECK(*e.attribute("v") == odd);
  CHECK(xml_escape("x\x01y\x7F") == "xy\x7F");       // control characters dropped (DEL is allowed)
  CHECK(xml_escape("\xC3\x28") == "\xEF\xBF\xBD(");  // invalid UTF-8 becomes U+FFFD
  CHECK(is_xml_name("strata:strength"));
  CHECK(is_xml_name("_a-b.c"));
  CHECK_FALSE(is_xml_name("1a"));
  CHECK_FALSE(is_xml_name("a b"));
  CHECK_FALSE(is_xml_name(""));
}
