// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
#include "names.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "csv_reader.h"
#include "import.h"

namespace layoffs::io {

namespace {

struct Entity {
  std::string_view name;
  std::string_view text;
};

// The entities seen in published registers, and the usual Latin-1 ones.
constexpr Entity kEntities[] = {
    {"amp", "&"},
    {"lt", "<"},
    {"gt", ">"},
    {"quot", "\""},
    {"apos", "'"},
    {"nbsp", "\xC2\xA0"},
    {"rsquo", "\xE2\x80\x99"},
    {"lsquo", "\xE2\x80\x98"},
    {"rdquo", "\xE2\x80\x9D"},
    {"ldquo", "\xE2\x80\x9C"},
    {"ndash", "\xE2\x80\x93"},
    {"mdash", "\xE2\x80\x94"},
    {"eacute", "\xC3\xA9"},
    {"egrave", "\xC3\xA8"},
    {"aacute", "\xC3\xA1"},
    {"oacute", "\xC3\xB3"},
    {"iacute", "\xC3\xAD"},
    {"uacute", "\xC3\xBA"},
    {"ntilde", "\xC3\xB1"},
    {"uuml", "\xC3\xBC"},
    {"ouml", "\xC3\xB6"},
    {"auml", "\xC3\xA4"},
    {"ccedil", "\xC3\xA7"},
    {"szlig", "\xC3\x9F"},
};

void append_utf8(std::string& out, UChar32 c) {
  icu::UnicodeString u(c);
  u.toUTF8String(out);
}

}  // namespace

std::string decode_html_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    bool done = false;
    if (name.size() > 1 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      const long cp = digits.empty() ? -1 : std::strtol(digits.c_str(), &end, hex ? 16 : 10);
      if (end != nullptr && *end == '\0' && cp > 0 && cp <= 0x10FFFF &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        append_utf8(out, static_cast<UChar32>(cp));
        done = true;
      }
    } else {
      for (const Entity& e : kEntities) {
        if (e.name == name) {
          out += e.text;
          done = true;
          break;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out += s[i];
    }
  }
  return out;
}

namespace {

bool is_quote(UChar32 c) {
  switch (c) {
    case '\'':
    case '"':
    case '`':
    case 0x00B4:
    case 0x02BC:
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2032:
    case 0xFF07:
      return true;
    default:
      return false;
  }
}

const icu::Normalizer2& normalizer(bool nfkc_casefold) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nfkc_casefold ? icu::Normalizer2::getNFKCCasefoldInstance(status)
                                            : icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw Error(ErrorCode::out_of_memory,
                std::string("ICU normalizer unavailable: ") + u_errorName(status));
  }
  return *n;
}

// NFKC with case folding, then Latin letters without their diacritics
// ("Škoda" -> "skoda", "Ualá" -> "uala"); other scripts keep their marks
// (dropping a Japanese voicing mark would change the word).
icu::UnicodeString unicode_fold(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
  icu::UnicodeString folded = normalizer(true).normalize(u, status);
  icu::UnicodeString nfd = normalizer(false).normalize(folded, status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCode::out_of_memory,
                std::string("ICU normalization failed: ") + u_errorName(status));
  }
  icu::UnicodeString out;
  // A mark on a Latin letter goes; so does one on no letter or digit at all
  // (at the start, or on a '.' or quote that the words drop: "S.\u0301"
  // would otherwise key as "s\u0301", which keys as "s"; found by the names
  // fuzz target).
  bool drop_marks = true;
  for (std::int32_t i = 0; i < nfd.length();) {
    const UChar32 c = nfd.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      if (drop_marks) {
        continue;
      }
    } else {
      UErrorCode e = U_ZERO_ERROR;
      drop_marks = uscript_getScript(c, &e) == USCRIPT_LATIN || !u_isalnum(c);
    }
    out.append(c);
  }
  UErrorCode e = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(e);
  return U_SUCCESS(e) ? nfc->normalize(out, e) : out;
}

// Words of the folded name: quotes and '.' vanish ("L.L.C." -> "llc",
// "O'Lakes" -> "olakes"), '&' is "and", other punctuation, symbols and
// spaces separate words.
std::vector<std::string> words_of(std::string_view name) {
  const icu::UnicodeString u = unicode_fold(name);
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  };
  for (std::int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (is_quote(c) || c == '.' || c == 0xFF0E || c == 0x00B7) {
      continue;
    }
    if (c == '&' || c == '+') {
      flush();
      words.emplace_back("and");
      continue;
    }
    const std::int8_t type = u_charType(c);
    const bool separator = u_isUWhiteSpace(c) || u_ispunct(c) || type == U_MATH_SYMBOL ||
                           type == U_CURRENCY_SYMBOL || type == U_MODIFIER_SYMBOL ||
                           type == U_OTHER_SYMBOL || type == U_CONTROL_CHAR ||
                           type == U_FORMAT_CHAR;
    if (separator) {
      flush();
    } else {
      append_utf8(word, c);
    }
  }
  flush();
  return words;
}

// "Acme X Y" -> "acme xy": trailing single letters (two or more, after a longer
// word) are one abbreviation.
void join_trailing_letters(std::vector<std::string>& words) {
  std::size_t k = words.size();
  while (k > 0 && words[k - 1].size() == 1) {
    --k;
  }
  if (words.size() - k < 2 || k == 0) {
    return;
  }
  std::string joined;
  for (std::size_t i = k; i < words.size(); ++i) {
    joined += words[i];
  }
  words.resize(k);
  words.push_back(joined);
}

constexpr std::string_view kLegalForms[] = {
    "inc",         "incorporated", "llc", "llp",  "lllp", "lp", "ltd", "limited", "corp",
    "corporation", "co",           "plc", "gmbh", "mbh",  "ag", "kg",  "kgaa",    "sa",
    "sas",         "sarl",         "srl", "spa",  "nv",   "bv", "pty", "pte",     "kk",
    "se",          "oy",           "oyj", "ab",   "asa",  "as", "aps", "ulc",     "pc",
    "pllc",        "bhd",          "sdn", "lda",  "ltda", "sl", "sau", "gk",      "yk",
};

// Japanese company forms written as a prefix or suffix without a space.
constexpr std::string_view kCjkForms[] = {"株式会社", "有限会社", "合同会社", "(株)"};

bool is_legal_form(std::string_view w) {
  return std::find(std::begin(kLegalForms), std::end(kLegalForms), w) != std::end(kLegalForms);
}

constexpr std::string_view kRelationWords[] = {
    "partner", "partners", "contractor", "contractors", "subcontractor",
    "vendor",  "supplier", "dsp",        "for",         "at",
    "serving", "client",   "dba",        "agent",       "staffing",
};

bool names_relationship(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (std::find(std::begin(kRelationWords), std::end(kRelationWords), w) !=
        std::end(kRelationWords)) {
      return true;
    }
  }
  return false;
}

// Words a register appends to a name to mark a revised notice: "United
// Airlines Update", "Katerra Inc. Update Supplemental2". They and what
// follows them are not part of the name.
bool is_revision_word(std::string_view w) {
  for (const std::string_view r : {"update", "updated", "amended", "amendment", "revised",
                                   "revision", "correction", "corrected", "supplemental"}) {
    if (w.compare(0, r.size(), r) == 0 &&
        std::all_of(w.begin() + static_cast<std::ptrdiff_t>(r.size()), w.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return true;
    }
  }
  return false;
}

// Drops trailing legal forms, written as one word ("inc", "sa") or as
// single letters ("s a" from "S. A."), the shortest first, until none is
// left (one word always stays): "Acme S A Inc" and "AT&T c. S. A." get the
// keys of "Acme S.A." and "AT&T c." (found by the names fuzz target).
void drop_legal_forms(std::vector<std::string>& words) {
  for (bool again = true; again;) {
    again = false;
    while (words.size() > 1 && is_legal_form(words.back())) {
      words.pop_back();
    }
    std::size_t k = words.size();
    while (k > 0 && words[k - 1].size() == 1) {
      --k;
    }
    for (std::size_t n = 2; k + n <= words.size() && n < words.size(); ++n) {
      std::string letters;
      for (std::size_t i = words.size() - n; i < words.size(); ++i) {
        letters += words[i];
      }
      if (is_legal_form(letters)) {
        words.resize(words.size() - n);
        again = true;
        break;
      }
    }
  }
}

// Japanese company forms: written into the first or last word, or a word
// of their own there.
// Does `s` start with a combining mark (which belongs to what precedes it)?
bool starts_with_mark(std::string_view s) {
  std::int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(s.data(), i, static_cast<std::int32_t>(s.size()), c);
  if (c < 0) {
    return false;
  }
  const std::int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

void drop_cjk_forms(std::vector<std::string>& words) {
  for (const std::string_view form : kCjkForms) {
    for (std::string* w : {&words.front(), &words.back()}) {
      // Not when a mark follows: "株式会社\u0301..." does not start with the form.
      if (w->size() > form.size() && w->compare(0, form.size(), form) == 0 &&
          !starts_with_mark(std::string_view(*w).substr(form.size()))) {
        w->erase(0, form.size());
      } else if (w->size() > form.size() &&
                 w->compare(w->size() - form.size(), form.size(), form) == 0) {
        w->erase(w->size() - form.size());
      }
    }
    if (words.size() > 1 && words.front() == form) {
      words.erase(words.begin());
    }
    if (words.size() > 1 && words.back() == form) {
      words.pop_back();
    }
  }
}

std::string key_of_words(std::vector<std::string> words) {
  if (words.empty()) {
    return {};
  }
  // A revision word and what follows it, legal forms, Japanese forms and a
  // leading "the" go until none is left, whichever order they come in ("The
  // S.A." keys as "The" does, "S sde S 株式会社A" as "S sde", "株式会社
  // L.L.C." as "株式会社", "Ed 株式会社.Amended" as "Ed"; found by the names
  // fuzz target), then trailing single letters are joined.
  for (std::vector<std::string> before; words != before;) {
    before = words;
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (is_revision_word(words[i])) {
        words.resize(i);
        break;
      }
    }
    drop_legal_forms(words);
    drop_cjk_forms(words);
    while (words.size() > 1 && words.front() == "the") {
      words.erase(words.begin());
    }
  }
  join_trailing_letters(words);
  std::string key;
  for (const std::string& w : words) {
    key += key.empty() ? "" : " ";
    key += w;
  }
  return key;
}

std::string trimmed(std::string_view s) {
  return std::string(detail::trim(s));
}

}  // namespace

FoldedName fold_company_name(std::string_view raw) {
  std::string text = decode_html_entities(detail::trim(raw));
  // NBSP and other spaces as plain spaces, so " - " is found whatever was typed.
  {
    std::string plain;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 2, "\xC2\xA0") == 0) {
        plain += ' ';
        ++i;
      } else {
        plain += text[i];
      }
    }
    // Trimmed again: "&#32;- Acme" is " - Acme", which is "- Acme" as typed
    // (found by the names fuzz target).
    text = trimmed(plain);
  }
  FoldedName out;
  out.base = text;
  // The first " - " (or en or em dash) of each kind, the leftmost first: in
  // "Acme – Austin - S.A." the site is "Austin - S.A.", so that the name
  // keys as "Acme – Austin" does (found by the names fuzz target).
  std::vector<std::pair<std::size_t, std::string_view>> dashes;
  for (const std::string_view dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
    if (const std::size_t at = text.find(dash); at != std::string::npos && at != 0) {
      dashes.emplace_back(at, dash);
    }
  }
  std::sort(dashes.begin(), dashes.end());
  for (const auto& [at, dash] : dashes) {
    const std::string site = trimmed(std::string_view(text).substr(at + dash.size()));
    if (site.empty() || names_relationship(words_of(site))) {
      continue;
    }
    out.base = trimmed(std::string_view(text).substr(0, at));
    out.site = site;
    break;
  }
  out.key = key_of_words(words_of(out.base));
  // The key of a key is itself: the rules above aim at that, and what they
  // miss (the names fuzz target found marks left alone when a Japanese form
  // before them went) is folded again until it does not change.
  for (int i = 0; i < 8; ++i) {
    std::string again = key_of_words(words_of(out.key));
    if (again == out.key) {
      break;
    }
    out.key = std::move(again);
  }
  return out;
}

std::string name_match_key(std::string_view raw) {
  return fold_company_name(raw).key;
}

NameResolver::NameResolver(const Tracker& tracker) {
  for (const Company& c : tracker.companies()) {
    add(name_match_key(c.name), c.id);
    for (const std::string& a : c.aliases) {
      add(name_match_key(a), c.id);
    }
  }
}

std::optional<CompanyId> NameResolver::find(const std::string& key) const {
  if (const auto it = by_key_.find(key); it != by_key_.end()) {
    return it->second;
  }
  return std::nullopt;
}

void NameResolver::add(const std::string& key, CompanyId id) {
  if (key.empty()) {
    return;
  }
  const auto [it, inserted] = by_key_.emplace(key, id);
  if (!inserted && id < it->second) {
    it->second = id;
  }
}

void NameResolver::choose(std::string_view raw_name, CompanyId id) {
  chosen_[trimmed(raw_name)] = id;
}

std::optional<CompanyId> NameResolver::chosen(std::string_view raw_name) const {
  if (chosen_.empty()) {
    return std::nullopt;
  }
  if (const auto it = chosen_.find(trimmed(raw_name)); it != chosen_.end()) {
    return it->second;
  }
  return std::nullopt;
}

namespace {

// Edit distance over bytes, in O(min) memory.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) {
    std::swap(a, b);
  }
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> split_words(const std::string& key) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t sp = key.find(' ', start);
    words.push_back(key.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
    if (sp == std::string::npos) {
      break;
    }
    start = sp + 1;
  }
  return words;
}

}  // namespace

std::vector<MergeSuggestion> suggest_company_merges(const Tracker& tracker) {
  const std::vector<Company> companies = tracker.companies();
  std::map<std::int64_t, const Company*> by_id;
  for (const Company& c : companies) {
    by_id[c.id.value()] = &c;
  }
  const auto related = [&](const Company& a, const Company& b) {
    // One the other's ancestor: already linked in the tree.
    for (const auto& [x, y] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      std::optional<CompanyId> p = x->parent;
      for (int depth = 0; p && depth < 1000; ++depth) {
        if (*p == y->id) {
          return true;
        }
        const auto it = by_id.find(p->value());
        p = it == by_id.end() ? std::nullopt : it->second->parent;
      }
    }
    return false;
  };

  std::vector<MergeSuggestion> out;
  // 1. The same key.
  std::map<std::string, std::set<std::int64_t>> by_key;
  std::vector<std::string> keys(companies.size());
  for (std::size_t i = 0; i < companies.size(); ++i) {
    keys[i] = name_match_key(companies[i].name);
    if (!keys[i].empty()) {
      by_key[keys[i]].insert(companies[i].id.value());
    }
    for (const std::string& a : companies[i].aliases) {
      if (const std::string k = name_match_key(a); !k.empty()) {
        by_key[k].insert(companies[i].id.value());
      }
    }
  }
  std::set<std::pair<std::int64_t, std::int64_t>> paired;
  for (const auto& [key, ids] : by_key) {
    if (ids.size() < 2) {
      continue;
    }
    MergeSuggestion s;
    for (const std::int64_t id : ids) {
      s.companies.push_back(*by_id[id]);
    }
    for (auto a = ids.begin(); a != ids.end(); ++a) {
      for (auto b = std::next(a); b != ids.end(); ++b) {
        paired.emplace(*a, *b);
      }
    }
    s.reason =
        "the same name once case, accents, punctuation and legal forms are folded: \"" + key + "\"";
    out.push_back(std::move(s));
  }
  const auto pair_of = [](const Company& a, const Company& b) {
    return std::pair{std::min(a.id.value(), b.id.value()), std::max(a.id.value(), b.id.value())};
  };
  // 2. One name a prefix of the other, at a word boundary.
  std::vector<std::size_t> order(companies.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  for (std::size_t oi = 0; oi < order.size(); ++oi) {
    const std::size_t i = order[oi];
    const std::string& short_key = keys[i];
    if (short_key.size() < 4) {
      continue;
    }
    const std::string prefix = short_key + " ";
    for (std::size_t oj = oi + 1; oj < order.size(); ++oj) {
      const std::size_t j = order[oj];
      if (keys[j].compare(0, short_key.size(), short_key) != 0) {
        break;
      }
      if (keys[j].compare(0, prefix.size(), prefix) != 0 ||
          names_relationship(split_words(keys[j])) || related(companies[i], companies[j]) ||
          paired.count(pair_of(companies[i], companies[j]))) {
        continue;
      }
      paired.insert(pair_of(companies[i], companies[j]));
      out.push_back({{companies[i], companies[j]},
                     "\"" + short_key + "\" begins \"" + keys[j] + "\" (a unit of it?)"});
    }
  }
  // 3. Nearly the same spelling: compared within runs sharing a first letter.
  for (std::size_t oi = 0; oi < order.size(); ++oi) {
    const std::size_t i = order[oi];
    if (keys[i].size() < 6) {
      continue;
    }
    for (std::size_t oj = oi + 1; oj < order.size(); ++oj) {
      const std::size_t j = order[oj];
      if (keys[j].empty() || keys[j][0] != keys[i][0]) {
        break;
      }
      const std::size_t longer = std::max(keys[i].size(), keys[j].size());
      const std::size_t shorter = std::min(keys[i].size(), keys[j].size());
      if (shorter < 6 || (longer - shorter) * 10 > longer) {
        continue;
      }
      const std::size_t d = edit_distance(keys[i], keys[j]);
      if (d == 0 || d * 10 > longer || paired.count(pair_of(companies[i], companies[j])) ||
          related(companies[i], companies[j])) {
        continue;
      }
      paired.insert(pair_of(companies[i], companies[j]));
      const int pct = static_cast<int>(100 - (d * 100 + longer - 1) / longer);
      out.push_back({{companies[i], companies[j]},
                     "names " + std::to_string(pct) + "% alike: \"" + keys[i] + "\" and \"" +
                         keys[j] + "\""});
    }
  }
  for (MergeSuggestion& s : out) {
    std::stable_sort(s.companies.begin(), s.companies.end(),
                     [](const Company& a, const Company& b) { return a.id < b.id; });
  }
  return out;
}

void read_names_file(const Tracker& tracker, const std::string& path, NameResolver& resolver) {
  detail::CsvReader reader(path);
  detail::CsvRecord row;
  if (!reader.next(row) || row.size() != 2 || detail::header_key(row[0]) != "name" ||
      detail::header_key(row[1]) != "company") {
    throw ImportError(path, 1, "a names file is a CSV with the header \"name,company\"");
  }
  while (reader.next(row)) {
    if (!row.error().empty()) {
      throw ImportError(path, row.line(), row.error());
    }
    if (row.size() != 2) {
      throw ImportError(
          path, row.line(),
          "the row has " + std::to_string(row.size()) + " fields, but the header has 2");
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (!detail::is_valid_utf8(row[i])) {
        throw ImportError(path, row.line(),
                          "field " + std::to_string(i + 1) + " is not valid UTF-8");
      }
    }
    const std::string_view company = detail::trim(row[1]);
    const auto found = tracker.find_company(company);
    if (!found) {
      throw ImportError(path, row.line(),
                        "company: \"" + std::string(company) + "\" is not a known company or alias",
                        ErrorCode::not_found);
    }
    resolver.choose(row[0], found->id);
  }
}

}  // namespace layoffs::io
