// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// The SVG writer and the helpers the charts format numbers with.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <layoffs/layoffs.h>

#include "charts.h"
#include "svg.h"

namespace layoffs::report {
namespace {

TEST(SvgEscape, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(escape("AT&T <b>\"Big\" 'Co'</b>"),
            "AT&amp;T &lt;b&gt;&quot;Big&quot; &#39;Co&#39;&lt;/b&gt;");
  EXPECT_EQ(escape("</script><script>alert(1)</script>"),
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  // An entity in the data stays text, not markup.
  EXPECT_EQ(escape("&amp;"), "&amp;amp;");
}

TEST(SvgEscape, DropsControlCharactersXmlForbidsAndKeepsUtf8) {
  EXPECT_EQ(escape(std::string("a\x01"
                               "b\x1f"
                               "c\td\ne",
                               9)),
            "abc\td\ne");
  EXPECT_EQ(escape(std::string("nul\0byte", 8)), "nulbyte");
  EXPECT_EQ(escape("Ualá – Zürich"), "Ualá – Zürich");
}

TEST(SvgNum, OneDecimalNoTrailingZeroNoNegativeZero) {
  EXPECT_EQ(num(0), "0");
  EXPECT_EQ(num(12), "12");
  EXPECT_EQ(num(12.25), "12.3");
  EXPECT_EQ(num(12.04), "12");
  EXPECT_EQ(num(-0.01), "0");
  EXPECT_EQ(num(-0.5), "-0.5");
  EXPECT_EQ(num(-12.26), "-12.3");
  EXPECT_EQ(num(680), "680");
  EXPECT_EQ(num(1.0 / 0.0), "0");  // never "inf" in a document
}

TEST(SvgWriter, WritesAnAccessibleDocumentWithEscapedAttributesAndText) {
  SvgWriter svg(100, 50, "c1", "Title <&>", "Desc \"quoted\"", true);
  svg.open("g", {{"class", "bars"}, {"data-label", "A\"B"}});
  svg.element("rect", {{"x", 1.25}, {"y", 2}, {"width", 3}, {"height", 4}});
  svg.text(5, 6, "x < y & z");
  svg.close();
  const std::string out = svg.finish();
  EXPECT_EQ(out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"c1\"", 0), 0u) << out;
  EXPECT_NE(out.find("role=\"img\""), std::string::npos);
  EXPECT_NE(out.find("aria-labelledby=\"c1-title c1-desc\""), std::string::npos);
  EXPECT_NE(out.find("<title id=\"c1-title\">Title &lt;&amp;&gt;</title>"), std::string::npos);
  EXPECT_NE(out.find("<desc id=\"c1-desc\">Desc &quot;quoted&quot;</desc>"), std::string::npos);
  EXPECT_NE(out.find("data-label=\"A&quot;B\""), std::string::npos);
  EXPECT_NE(out.find("<rect x=\"1.3\" y=\"2\" width=\"3\" height=\"4\"/>"), std::string::npos);
  EXPECT_NE(out.find(">x &lt; y &amp; z</text>"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 7), "</svg>\n");
}

TEST(SvgWriter, InlineFormHasNoNamespace) {
  SvgWriter svg(10, 10, "c", "t", "d");
  EXPECT_EQ(svg.finish().find("xmlns"), std::string::npos);
}

TEST(SvgWriter, RefusesUnbalancedElements) {
  SvgWriter open(10, 10, "c", "t", "d");
  open.open("g");
  EXPECT_THROW(open.finish(), std::logic_error);
  SvgWriter closed(10, 10, "c", "t", "d");
  EXPECT_THROW(closed.close(), std::logic_error);
}

TEST(ChartNumbers, RangesReadAsTheLibraryWritesThem) {
  EXPECT_EQ(range_text(300, 999), "300\u2013999");
  EXPECT_EQ(range_text(27000, std::nullopt), "27,000+");
  EXPECT_EQ(range_text(10000, 10000), "10,000");
  // The same words as Total's own formatting.
  Total t;
  t.low = 27000;
  t.high = std::nullopt;
  t.estimate = 27000;
  EXPECT_EQ(t.to_short_string(), range_text(t.low, t.high));
  t.low = 300;
  t.high = 999;
  EXPECT_EQ(t.to_string(), range_text(t.low, t.high));
}

TEST(ChartNumbers, NiceStepsAreRound) {
  EXPECT_EQ(nice_step(10833, 5), 2500);
  EXPECT_EQ(nice_step(100, 4), 25);
  EXPECT_EQ(nice_step(1, 4), 1);
  EXPECT_EQ(nice_step(0, 4), 1);
  EXPECT_EQ(nice_step(383159, 4), 100000);
  for (const std::int64_t max : {7, 99, 1234, 56789, 2'000'000}) {
    const std::int64_t step = nice_step(max, 4);
    EXPECT_LE(max / step, 4) << max;  // at most about `ticks` steps
    EXPECT_GE(max / step, 1) << max;
  }
}

TEST(ChartNumbers, PeriodNames) {
  EXPECT_EQ(period_name("2023-01"), "Jan 2023");
  EXPECT_EQ(period_name("2023-12"), "Dec 2023");
  EXPECT_EQ(period_name("2023-Q3"), "Q3 2023");
  EXPECT_EQ(period_name("2023"), "2023");
}

TEST(StateGrid, HasEveryStateDcAndPuertoRicoOnce) {
  const auto codes = state_grid_codes();
  EXPECT_EQ(codes.size(), 52u);
  std::set<std::string> unique(codes.begin(), codes.end());
  EXPECT_EQ(unique.size(), codes.size());
  for (const char* c : {"WA", "CA", "TX", "NY", "DC", "PR", "AK", "HI", "FL", "ME"}) {
    EXPECT_TRUE(unique.count(c)) << c;
  }
}

}  // namespace
}  // namespace layoffs::report
