// Prompt templates: InvokeAI's {prompt} rule, the file formats, the built-ins, the user store
// (create / duplicate / edit / delete, import / export round trips).
#include <catch2/catch.hpp>

#include <QFile>

#include "strata/doc/error.h"
#include "strata/io/prompt_templates.h"
#include "template_store.h"
#include "ui_test_support.h"

using namespace strata;

TEST_CASE("templates: {prompt} is replaced as InvokeAI does", "[ui][templates]") {
  using io::apply_template_text;
  CHECK(apply_template_text("{prompt}, watercolour", "a fox") == "a fox, watercolour");
  CHECK(apply_template_text("photo of {prompt}, {prompt}", "a fox") == "photo of a fox, {prompt}");  // first only
  CHECK(apply_template_text("watercolour", "a fox") == "a fox watercolour");  // no placeholder: appended
  CHECK(apply_template_text("watercolour", "") == "watercolour");
  CHECK(apply_template_text("", "a fox") == "a fox");
  CHECK(apply_template_text("{prompt}", "cost $& more") == "cost $& more");  // inserted literally
  const auto out = io::apply_template({"x", "{prompt}, oil", "blurry, {prompt}"}, "a cat", "dogs");
  CHECK(out.positive == "a cat, oil");
  CHECK(out.negative == "blurry, dogs");
}

TEST_CASE("templates: Strata JSON, InvokeAI JSON and InvokeAI CSV parse", "[ui][templates]") {
  const std::vector<io::PromptTemplate> list{{"A", "{prompt}, one", "bad"}, {"B, \"quoted\"", "x,\ny {prompt}", ""}};
  CHECK(io::parse_templates(io::templates_to_json(list)) == list);
  CHECK(io::parse_templates(io::templates_to_invokeai_json(list)) == list);
  CHECK(io::parse_templates(io::templates_to_invokeai_csv(list)) == list);
  // InvokeAI's own spellings: positive_prompt, a BOM, missing negative column.
  const auto csv = io::parse_templates("\xEF\xBB\xBFname,positive_prompt\nSketch,{prompt} pencil\n");
  REQUIRE(csv.size() == 1);
  CHECK(csv[0] == io::PromptTemplate{"Sketch", "{prompt} pencil", ""});
  const auto invoke = io::parse_templates(R"([{"name": "Anime", "positive_prompt": "{prompt} anime", "negative_prompt": "photo"}])");
  CHECK(invoke.at(0) == io::PromptTemplate{"Anime", "{prompt} anime", "photo"});
  CHECK_THROWS_AS(io::parse_templates(R"([{"prompt": "no name"}])", "x.json"), doc::Error);
  CHECK_THROWS_WITH(io::parse_templates("{\"schema\": \"other\"}", "odd.json"), Catch::Contains("odd.json"));
  CHECK_THROWS_WITH(io::parse_templates("a,b\n1,2\n", "t.csv"), Catch::Contains("name, prompt"));
}

TEST_CASE("templates: the built-ins cover the common styles", "[ui][templates]") {
  ui::TemplateStore store(nullptr, QString::fromStdString((test::uiTempDir("templates-builtin") / "user.json").string()));
  REQUIRE(store.templates().size() >= 12);
  for (const auto& e : store.templates()) {
    INFO(e.value.name);
    CHECK(e.builtin);
    CHECK(e.value.positive.find("{prompt}") != std::string::npos);
    CHECK_FALSE(e.value.negative.empty());
  }
  for (const char* name : {"Photography (General)", "Photography (Portrait)", "Photography (Landscape)",
                           "Photography (Macro)", "Illustration", "Anime", "3D Render", "Watercolour", "Oil Painting",
                           "Pixel Art", "Line Art", "Concept Art"}) {
    CHECK(store.find(QString::fromLatin1(name)) != nullptr);
  }
  CHECK(store.search(QStringLiteral("photo portrait")).contains(QStringLiteral("Photography (Portrait)")));
  CHECK(store.search(QStringLiteral("zzzz")).isEmpty());
}

TEST_CASE("templates: user templates are stored, and export/import round-trips", "[ui][templates]") {
  const auto dir = test::uiTempDir("templates-user");
  const QString userFile = QString::fromStdString((dir / "user.json").string());
  {
    ui::TemplateStore store(nullptr, userFile);
    const QString a = store.add({"Mine", "{prompt}, mine", "ugly"});
    CHECK(a == QStringLiteral("Mine"));
    CHECK(store.add({"Mine", "{prompt}", ""}) == QStringLiteral("Mine (2)"));  // unique names
    CHECK(store.duplicate(QStringLiteral("Watercolour")) == QStringLiteral("Watercolour (copy)"));
    QString error;
    CHECK_FALSE(store.update(QStringLiteral("Anime"), {"Anime", "changed", ""}, &error));  // built-in
    CHECK(error.contains(QLatin1String("Built-in")));
    CHECK(store.update(QStringLiteral("Mine (2)"), {"Other", "{prompt} other", "n"}));
    CHECK(store.remove(QStringLiteral("Watercolour (copy)")));
    CHECK_FALSE(store.remove(QStringLiteral("Anime")));
  }
  ui::TemplateStore reloaded(nullptr, userFile);  // persisted
  REQUIRE(reloaded.find(QStringLiteral("Mine")));
  REQUIRE(reloaded.find(QStringLiteral("Other")));
  CHECK(reloaded.find(QStringLiteral("Other"))->value.positive == "{prompt} other");
  CHECK_FALSE(reloaded.find(QStringLiteral("Watercolour (copy)")));

  for (const char* file : {"out.json", "out.invokeai.json", "out.csv"}) {
    INFO(file);
    const QString path = QString::fromStdString((dir / file).string());
    REQUIRE(reloaded.exportFile(path, {QStringLiteral("Mine"), QStringLiteral("Other")}));
    ui::TemplateStore fresh(nullptr, QString::fromStdString((dir / (std::string(file) + ".user")).string()));
    QString error;
    REQUIRE(fresh.importFile(path, &error) == 2);
    CHECK(fresh.find(QStringLiteral("Mine"))->value == reloaded.find(QStringLiteral("Mine"))->value);
    CHECK(fresh.find(QStringLiteral("Other"))->value == reloaded.find(QStringLiteral("Other"))->value);
    CHECK(fresh.importFile(path) == 2);  // again: renamed, nothing lost
    CHECK(fresh.find(QStringLiteral("Mine (2)")));
  }
  QFile bad(QString::fromStdString((dir / "bad.json").string()));
  REQUIRE(bad.open(QIODevice::WriteOnly));
  bad.write("{ not json");
  bad.close();
  QString error;
  CHECK(reloaded.importFile(bad.fileName(), &error) == -1);
  CHECK(error.contains(QLatin1String("bad.json")));
}
