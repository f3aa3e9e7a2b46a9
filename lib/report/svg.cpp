// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "svg.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace layoffs::report {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          break;  // not allowed in XML 1.0, not even as a character reference
        }
        out += c;
    }
  }
  return out;
}

std::string num(double v) {
  if (!std::isfinite(v)) {
    return "0";  // never emit "nan" or "inf" into a document
  }
  const long long tenths = std::llround(v * 10.0);
  if (tenths == 0) {
    return "0";
  }
  const long long whole = tenths / 10;
  const long long frac = std::llabs(tenths % 10);
  std::string out = (tenths < 0 && whole == 0) ? "-0" : std::to_string(whole);
  if (frac != 0) {
    out += '.';
    out += static_cast<char>('0' + frac);
  }
  return out;
}

SvgWriter::SvgWriter(double width, double height, std::string_view id, std::string_view title,
                     std::string_view description, bool standalone)
    : id_(id) {
  out_ += "<svg";
  Attrs attrs;
  if (standalone) {
    attrs.emplace_back("xmlns", "http://www.w3.org/2000/svg");
  }
  attrs.emplace_back("id", id_);
  attrs.emplace_back("class", "chart");
  attrs.emplace_back("width", width);
  attrs.emplace_back("height", height);
  attrs.emplace_back("viewBox", "0 0 " + num(width) + " " + num(height));
  attrs.emplace_back("role", "img");
  attrs.emplace_back("aria-labelledby", id_ + "-title " + id_ + "-desc");
  attrs.emplace_back("font-family",
                     "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
                     "'DejaVu Sans', sans-serif");
  attrs.emplace_back("font-size", 12);
  write_attrs(attrs);
  out_ += ">\n<title id=\"" + escape(id_) + "-title\">" + escape(title) + "</title>\n";
  out_ += "<desc id=\"" + escape(id_) + "-desc\">" + escape(description) + "</desc>\n";
  open_.emplace_back("svg");
}

void SvgWriter::write_attrs(const Attrs& attrs) {
  for (const Attr& a : attrs) {
    out_ += ' ';
    out_ += a.name;
    out_ += "=\"";
    out_ += escape(a.value);
    out_ += '"';
  }
}

SvgWriter& SvgWriter::open(std::string_view tag, const Attrs& attrs) {
  out_ += '<';
  out_ += tag;
  write_attrs(attrs);
  out_ += ">\n";
  open_.emplace_back(tag);
  return *this;
}

SvgWriter& SvgWriter::close() {
  if (open_.size() <= 1) {
    throw std::logic_error("SvgWriter::close: no element is open");
  }
  out_ += "</" + open_.back() + ">\n";
  open_.pop_back();
  return *this;
}

SvgWriter& SvgWriter::element(std::string_view tag, const Attrs& attrs) {
  out_ += '<';
  out_ += tag;
  write_attrs(attrs);
  out_ += "/>\n";
  return *this;
}

SvgWriter& SvgWriter::text(double x, double y, std::string_view content, const Attrs& attrs) {
  out_ += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  write_attrs(attrs);
  out_ += '>';
  out_ += escape(content);
  out_ += "</text>\n";
  return *this;
}

SvgWriter& SvgWriter::tooltip(std::string_view content) {
  out_ += "<title>" + escape(content) + "</title>\n";
  return *this;
}

std::string SvgWriter::finish() {
  if (open_.size() != 1) {
    throw std::logic_error("SvgWriter::finish: <" + open_.back() + "> is still open");
  }
  out_ += "</svg>\n";
  open_.clear();
  return std::move(out_);
}

}  // namespace layoffs::report
