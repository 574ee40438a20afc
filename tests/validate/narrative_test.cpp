// txt-1 (validate/xhtml.hpp) on partners' narratives: what the XHTML subset allows, and each bad
// div gives one issue at the narrative's FHIRPath naming what is wrong.
#include "helpers.hpp"
#include "validate/xhtml.hpp"

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;

namespace {

constexpr std::string_view kOpen = R"~(<div xmlns="http://www.w3.org/1999/xhtml">)~";

json::Value observation_with_div(std::string_view div) {
  auto obs = load("observation-example.json");
  obs["text"]["status"] = "generated";
  obs["text"]["div"] = json::Value(div);
  return obs;
}

// The one txt-1 issue at Observation.text.div, with its diagnostics.
Issue txt_1(std::string_view div, Strictness strictness = Strictness::Lenient) {
  const auto issues = mfr::validate::validate(observation_with_div(div), strictness);
  INFO(describe(issues));
  std::size_t count = 0;
  Issue found{};
  for (const Issue& i : issues)
    if (i.rule == "txt-1") {
      ++count;
      found = i;
    }
  REQUIRE(count == 1);
  CHECK(found.expression == "Observation.text.div");
  CHECK(found.code == IssueType::Invariant);
  return found;
}

bool mentions(const Issue& i, std::string_view words) { return i.diagnostics.find(words) != std::string::npos; }

}  // namespace

TEST_CASE("txt-1: a partner's good narratives pass", "[validate][narrative]") {
  for (std::string_view div : {
           R"~(<div xmlns="http://www.w3.org/1999/xhtml"><p>T4 <b>left</b>: moderate &amp; tender &lt;3&gt; &#233; &#x2013;</p></div>)~",
           R"~(<div xmlns="http://www.w3.org/1999/xhtml" lang="fr" xml:lang="fr"><table class="grid" style="border: 1px solid"><caption>x</caption><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td colspan="2" rowspan='1'>b</td></tr></tbody></table></div>)~",
           R"~(<div xmlns="http://www.w3.org/1999/xhtml"><!-- generated --><ul><li>a<br/></li><li><a href="https://example.org/x" title="t">link</a></li></ul><img src="#pic" alt="chart"/><img src="data:image/png;base64,iVBORw0KGgo=" alt=""/></div>)~",
           "\n  <div xmlns=\"http://www.w3.org/1999/xhtml\">\n<h3 id=\"a1\">Title</h3><pre>  x  </pre><blockquote cite=\"#a1\">q</blockquote></div>\n",
       }) {
    INFO(div);
    const auto issues = lenient(observation_with_div(div));
    require_no_issue_at(issues, "Observation.text.div");
    CHECK(detail::check_xhtml(div).what.empty());
  }
}

TEST_CASE("txt-1: a script, an event attribute, a script link are refused", "[validate][narrative]") {
  const std::string open(kOpen);
  Issue i = txt_1(open + "<p>hi</p><script>alert(1)</script></div>");
  CHECK(i.severity == Severity::Error);
  CHECK(mentions(i, "<script>"));
  i = txt_1(open + R"~(<p onclick="steal()">hi</p></div>)~");
  CHECK(i.severity == Severity::Error);
  CHECK(mentions(i, "onclick"));
  i = txt_1(open + R"~(<p ONMOUSEOVER='x'>hi</p></div>)~");
  CHECK(mentions(i, "ONMOUSEOVER"));
  i = txt_1(open + R"~(<a href=" javascript:alert(1)">x</a></div>)~");
  CHECK(mentions(i, "script"));
  // Strict (what we emit) and Lenient (what we receive) alike: txt-1 is base R4.
  CHECK(txt_1(open + "<script/>x</div>", Strictness::Strict).severity == Severity::Error);
}

TEST_CASE("txt-1: elements, attributes and references outside the subset are refused", "[validate][narrative]") {
  const std::string open(kOpen);
  CHECK(mentions(txt_1(open + "<iframe>x</iframe></div>"), "<iframe>"));
  CHECK(mentions(txt_1(open + "<form>x</form></div>"), "<form>"));
  CHECK(mentions(txt_1(open + "<style>p{}</style>x</div>"), "<style>"));
  CHECK(mentions(txt_1(open + "<P>x</P></div>"), "<P>"));  // XHTML is lower case
  CHECK(mentions(txt_1(open + R"~(<img src="https://tracker.example/x.png"/>x</div>)~"), "outside the resource"));
  CHECK(mentions(txt_1(open + R"~(<p style="background: url(https://x.example/a.png)">x</p></div>)~"), "url()"));
  CHECK(mentions(txt_1(open + R"~(<p data-x="1">x</p></div>)~"), "data-x"));
  CHECK(mentions(txt_1(R"~(<div xmlns="http://www.w3.org/1999/xhtml" xmlns:svg="http://www.w3.org/2000/svg">x</div>)~"), "xmlns:svg"));
  CHECK(mentions(txt_1(open + "<?php echo 1 ?>x</div>"), "processing instruction"));
  CHECK(mentions(txt_1(R"~(<div>x</div>)~"), "xmlns"));
  CHECK(mentions(txt_1(R"~(<div xmlns="http://example.org/other">x</div>)~"), "not http://www.w3.org/1999/xhtml"));
}

TEST_CASE("txt-1: a div that is not well-formed XML is refused, saying where", "[validate][narrative]") {
  const std::string open(kOpen);
  Issue i = txt_1(open + "<p>unclosed</div>");
  CHECK(mentions(i, "</div> closes <p>"));
  i = txt_1(open + "<p>never closed</p>");
  CHECK(mentions(i, "<div> is not closed"));
  CHECK(mentions(txt_1(open + "<b>x</i></b></div>"), "</i> closes <b>"));
  CHECK(mentions(txt_1(open + "a < b</div>"), "&lt;"));
  CHECK(mentions(txt_1(open + "Smith & Jones</div>"), "&amp;"));
  CHECK(mentions(txt_1(open + R"~(<p class=x>y</p></div>)~"), "not quoted"));
  CHECK(mentions(txt_1(open + R"~(<p class="a" class="b">y</p></div>)~"), "twice"));
  CHECK(mentions(txt_1(open + "x</div><p>after</p>"), "after the root"));
  CHECK(mentions(txt_1(open + "x</div> trailing"), "outside the root"));
  CHECK(mentions(txt_1(open + "&#0;</div>"), "&#0;"));
  i = txt_1(open + "<p>x</p");
  CHECK(mentions(i, "malformed"));
  CHECK(i.diagnostics.find("at byte") != std::string::npos);
}

TEST_CASE("txt-1: an HTML-only entity is a warning, txt-2: an empty div an error", "[validate][narrative]") {
  const std::string open(kOpen);
  const Issue i = txt_1(open + "a&nbsp;b</div>");
  CHECK(i.severity == Severity::Warning);
  CHECK(mentions(i, "&nbsp;"));
  require_issue(lenient(observation_with_div(open + "  <p> </p> </div>")), Severity::Error, IssueType::Invariant,
                "Observation.text.div", "txt-2");
  require_issue(lenient(observation_with_div(open + "</div>")), Severity::Error, IssueType::Invariant,
                "Observation.text.div", "txt-2");
}

TEST_CASE("txt-1 holds on every resource type validated, at its own path", "[validate][narrative]") {
  json::Value prov = parse(R"~({"resourceType":"Provenance","id":"p1","target":[{"reference":"Procedure/x"}],
    "recorded":"2026-12-03T06:00:00Z","agent":[{"who":{"display":"importer"}}]})~");
  prov["text"]["status"] = "generated";
  prov["text"]["div"] = json::Value(std::string(kOpen) + "<p onload=\"x()\">imported</p></div>");
  require_issue(lenient(prov), Severity::Error, IssueType::Invariant, "Provenance.text.div", "txt-1");
  json::Value bundle = parse(R"~({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"}]})~");
  bundle["entry"].as_array()[0]["resource"] = observation_with_div(std::string(kOpen) + "<script>x</script></div>");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].resource.text.div", "txt-1");
}
