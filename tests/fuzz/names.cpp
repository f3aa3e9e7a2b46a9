// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// Fuzz target: the company name key (lib/io/names.h, fold_company_name and
// name_match_key). The first byte chooses the variants tried; the rest is the
// name, any bytes.
//
// Properties (names.h, docs/ARCHITECTURE.md "Company names"):
//  - any bytes fold without an exception; the key is valid UTF-8 (ICU reads
//    invalid sequences as U+FFFD) with single spaces between words, none at
//    either end, and no ASCII capital;
//  - for a valid UTF-8 name, the key is stable: key(key(x)) == key(x);
//  - variants of a name that differ only in ASCII case, fullwidth letters
//    and digits, HTML entities (numeric for any character, the named ones
//    the decoder knows), a trailing legal form ("Inc.", ", L.L.C.", "GmbH",
//    "S.A.", ...) get the same key as the name (the case, width and entity
//    variants only for a name without '&', since entity names are case
//    sensitive and "&amp;" written out is not an entity);
//  - a name followed by " - " and a relationship ("Delivery Service
//    Partner", "contractor", "DSP", ...) never gets the key of the name
//    alone, and no site is split off: a contractor is never folded into its
//    client (unless the name already swallows whatever follows it, like
//    "Acme Update", a revised notice: then nothing after it counts).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "names.h"

namespace {

using layoffs::fuzz::quoted;
using layoffs::io::fold_company_name;
using layoffs::io::name_match_key;

// The length of the valid UTF-8 sequence at s[i], or 0 (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_length(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  char32_t v = 0;
  char32_t min = 0;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    v = c & 0x1F;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    v = c & 0x0F;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    v = c & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return n;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_length(s, i, &cp);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The name with its ASCII letters upper-cased (upper) or lower-cased, in
// the pattern of `bits` (bit i % 8 of the i-th letter: change it or not).
std::string recase(std::string_view s, std::uint8_t bits, bool upper) {
  std::string out(s);
  std::size_t letter = 0;
  for (char& c : out) {
    if (is_ascii_alnum(c) && !(c >= '0' && c <= '9')) {
      if ((bits >> (letter++ % 8)) & 1u) {
        if (upper && c >= 'a' && c <= 'z') {
          c = static_cast<char>(c - 'a' + 'A');
        } else if (!upper && c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c - 'A' + 'a');
        }
      }
    }
  }
  return out;
}

// ASCII letters and digits as their fullwidth forms (U+FF10.., U+FF21..,
// U+FF41..), in the pattern of `bits`.
std::string fullwidth(std::string_view s, std::uint8_t bits) {
  std::string out;
  std::size_t k = 0;
  for (const char c : s) {
    if (is_ascii_alnum(c) && ((bits >> (k++ % 8)) & 1u)) {
      append_utf8(out, static_cast<char32_t>(0xFF01 + (c - 0x21)));
    } else {
      out += c;
    }
  }
  return out;
}

// Characters as HTML entities, in the pattern of `bits`: decimal or
// hexadecimal numeric references for any character, the named entity for
// the few decode_html_entities knows ("&eacute;", "&rsquo;", "&nbsp;").
std::string entities(std::string_view s, std::uint8_t bits) {
  struct Named {
    char32_t c;
    const char* name;
  };
  static constexpr std::array<Named, 8> kNamed{{{U'\u00E9', "&eacute;"},
                                                {U'\u2019', "&rsquo;"},
                                                {U'\u00A0', "&nbsp;"},
                                                {U'\u00FC', "&uuml;"},
                                                {U'\'', "&apos;"},
                                                {U'"', "&quot;"},
                                                {U'<', "&lt;"},
                                                {U'\u2013', "&ndash;"}}};
  std::string out;
  std::size_t k = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_length(s, i, &cp);
    const unsigned pick = (bits >> (k++ % 4 * 2)) & 3u;
    bool done = false;
    if (cp != 0 && pick != 0) {
      for (const Named& e : kNamed) {
        if (e.c == cp && pick == 3) {
          out += e.name;
          done = true;
        }
      }
      if (!done) {
        char buf[16];
        std::snprintf(buf, sizeof buf, pick == 1 ? "&#%u;" : "&#x%X;", static_cast<unsigned>(cp));
        out += buf;
        done = true;
      }
    }
    if (!done) {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

constexpr std::array<const char*, 12> kLegalForms{{" Inc.", " Inc", ", Inc.", " LLC", ", L.L.C.",
                                                   " Ltd", " GmbH", " S.A.", " S. A.", " Corp.",
                                                   " plc", " Co., Ltd."}};

constexpr std::array<const char*, 8> kRelationships{
    {"Amazon Delivery Service Partner", "Delivery Service Partner", "DSP", "contractor",
     "Contractor for Google", "Staffing Agency", "vendor", "Subcontractor"}};

void check_key_shape(std::string_view name, const std::string& key) {
  FUZZ_CHECK(valid_utf8(key), "the key of " + quoted(name) + " is not UTF-8: " + quoted(key));
  FUZZ_CHECK(key.empty() || (key.front() != ' ' && key.back() != ' '),
             "the key of " + quoted(name) + " has a space at an end: " + quoted(key));
  FUZZ_CHECK(key.find("  ") == std::string::npos,
             "the key of " + quoted(name) + " has two spaces: " + quoted(key));
  for (const char c : key) {
    FUZZ_CHECK(!(c >= 'A' && c <= 'Z'),
               "the key of " + quoted(name) + " has a capital: " + quoted(key));
  }
}

void same_key(std::string_view name, const std::string& key, const std::string& variant,
              const char* what) {
  const std::string got = name_match_key(variant);
  FUZZ_CHECK(got == key, std::string(what) + ": " + quoted(variant) + " has the key " +
                             quoted(got) + ", " + quoted(name) + " has " + quoted(key));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 512) {
    return 0;
  }
  const std::uint8_t choice = data[0];
  const std::string name(reinterpret_cast<const char*>(data + 1), size - 1);

  const layoffs::io::FoldedName folded = fold_company_name(name);
  const std::string& key = folded.key;
  check_key_shape(name, key);
  FUZZ_CHECK(name_match_key(name) == key, "name_match_key differs from fold_company_name");
  if (!valid_utf8(name)) {
    return 0;
  }

  // Stable.
  FUZZ_CHECK(name_match_key(key) == key, "key(key(x)) != key(x): " + quoted(name) + " -> " +
                                             quoted(key) + " -> " + quoted(name_match_key(key)));

  // Legal forms: a trailing one changes nothing.
  if (!key.empty()) {
    same_key(name, key, name + kLegalForms[choice % kLegalForms.size()], "a legal form");
  }

  // Case, width, entities (for a name without '&').
  if (name.find('&') == std::string::npos) {
    const auto bits = static_cast<std::uint8_t>(choice * 37u + 11u);
    same_key(name, key, recase(name, bits, true), "upper case");
    same_key(name, key, recase(name, bits, false), "lower case");
    same_key(name, key, fullwidth(name, bits), "fullwidth");
    same_key(name, key, entities(name, bits), "entities");
  }

  // A contractor is never folded into its client.
  if (!key.empty()) {
    const std::string relation = kRelationships[(choice >> 4) % kRelationships.size()];
    const std::string contractor = name + " - " + relation;
    const layoffs::io::FoldedName c = fold_company_name(contractor);
    // A name that swallows whatever follows it ("Acme Update") is exempt.
    const bool swallows = name_match_key(name + " Zzyzx") == key;
    FUZZ_CHECK(swallows || (c.key != key && c.site.empty()),
               quoted(contractor) + " is folded into " + quoted(name) + ": key " + quoted(c.key) +
                   ", site " + quoted(c.site));
  }
  return 0;
}
