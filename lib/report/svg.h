// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// A small SVG writer: elements, attributes and text, every string escaped,
// every number written the same way, so a chart's SVG is byte-for-byte
// reproducible (the golden test relies on it). No layout, no styling rules:
// charts.cpp decides where things go.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace layoffs::report {

// Escapes text for XML and HTML, in element content and in quoted attribute
// values alike: & < > " ' become entities. Bytes that XML 1.0 forbids
// (control characters other than tab, newline and carriage return) are
// dropped, so any string a database holds yields well-formed output.
std::string escape(std::string_view text);

// A coordinate or length: at most one decimal, no trailing ".0", never "-0",
// "." as the decimal point whatever the locale. 12.25 -> "12.3", -0.01 -> "0".
std::string num(double v);

// One attribute. The value is escaped when written.
struct Attr {
  Attr(std::string_view name_, std::string_view value_) : name(name_), value(value_) {}
  Attr(std::string_view name_, const char* value_) : name(name_), value(value_) {}
  Attr(std::string_view name_, const std::string& value_) : name(name_), value(value_) {}
  Attr(std::string_view name_, double value_) : name(name_), value(num(value_)) {}
  Attr(std::string_view name_, int value_) : name(name_), value(std::to_string(value_)) {}
  std::string name;
  std::string value;
};
using Attrs = std::vector<Attr>;

// Writes one <svg> document or fragment. Elements are opened and closed in
// order (open/close pairs must match; finish() checks). The <svg> element
// carries role="img", a <title> and a <desc> that screen readers announce,
// and aria-labelledby pointing at them.
//
// Not thread-safe; a plain value.
class SvgWriter {
 public:
  // `id` must be unique in the page (it prefixes the title/desc ids);
  // `standalone` adds the XML namespace a .svg file needs (inline SVG in
  // HTML does not).
  SvgWriter(double width, double height, std::string_view id, std::string_view title,
            std::string_view description, bool standalone = false);

  // <tag attrs...> ... (a group, a gradient)
  SvgWriter& open(std::string_view tag, const Attrs& attrs = {});
  SvgWriter& close();
  // <tag attrs.../>
  SvgWriter& element(std::string_view tag, const Attrs& attrs);
  // <text x y attrs...>content</text>
  SvgWriter& text(double x, double y, std::string_view content, const Attrs& attrs = {});
  // <title>content</title> inside the element just opened: the tooltip a
  // browser shows, and what a screen reader reads for that element.
  SvgWriter& tooltip(std::string_view content);

  const std::string& id() const noexcept { return id_; }
  // The finished document. Throws std::logic_error if an element is still open.
  std::string finish();

 private:
  void write_attrs(const Attrs& attrs);

  std::string id_;
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace layoffs::report
