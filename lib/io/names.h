// Copyright (c) the layoffs developers. SPDX-License-Identifier: MIT
//
// One company, many names. A WARN filer is "Amazon.com Services LLC",
// "AMAZON WEB SERVICES INC" or "Amazon - New York City Region"; a news row
// says "Amazon". The match key folds what does not change who the company
// is, so imports can resolve a raw name to a company already known, and
// `company suggest` can list likely duplicates. See docs/ARCHITECTURE.md
// ("Company names") for why the key is computed here, not stored.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <layoffs/tracker.h>

namespace layoffs::io {

struct FoldedName {
  // The match key: HTML entities decoded, Unicode NFKC with case folding
  // (ICU), Latin diacritics dropped, typographic quotes and apostrophes
  // removed, other punctuation as spaces, '&' as "and", a leading "the",
  // leading or trailing legal forms ("Inc.", "L.L.C.", "GmbH", "SE",
  // "株式会社", ...), a trailing " - site" suffix, and a register's revision
  // words ("Update", "Amended", "Supplemental2") with what follows them
  // removed, spaces collapsed. "" for a name that folds to nothing.
  std::string key;
  // The name without its " - site" suffix, as written ("Amazon").
  std::string base;
  // The suffix removed ("New York City Region"), kept as the event's place.
  std::string site;
};

// Folds a raw company name. A suffix after " - " is a site or region unless
// it names a relationship ("... - Amazon Delivery Service Partner": partner,
// contractor, vendor, supplier, subcontractor, "for", "at", "DSP"): a
// contractor is never folded into its client.
FoldedName fold_company_name(std::string_view raw);

// "Land O&rsquo;Lakes" -> "Land O’Lakes": named and numeric HTML entities
// decoded (the common ones; an unknown one is left as written).
std::string decode_html_entities(std::string_view s);

// The match key alone.
std::string name_match_key(std::string_view raw);

// Names to companies, built from a Tracker's companies and aliases and
// extended as an import adds companies. Not thread-safe.
class NameResolver {
 public:
  explicit NameResolver(const Tracker& tracker);
  // The company whose name or alias folds to `key`, if one does (the
  // lowest id when several do).
  std::optional<CompanyId> find(const std::string& key) const;
  void add(const std::string& key, CompanyId id);
  // A user's choice (--names FILE): this raw name means that company,
  // whatever its key.
  void choose(std::string_view raw_name, CompanyId id);
  std::optional<CompanyId> chosen(std::string_view raw_name) const;

 private:
  std::unordered_map<std::string, CompanyId> by_key_;
  std::unordered_map<std::string, CompanyId> chosen_;
};

// A group of companies that are probably one, with the reason.
struct MergeSuggestion {
  std::vector<Company> companies;  // the suggested target first (the oldest, or the parent)
  std::string reason;
};

// Groups of companies that are probably one: the same match key; one key a
// prefix of the other at a word boundary (at least 4 letters, neither
// naming a relationship); or keys at least 90 % similar (edit distance).
std::vector<MergeSuggestion> suggest_company_merges(const Tracker& tracker);

// Reads a --names file: CSV with a header "name,company"; each raw name is
// resolved to the company named (which must exist). Throws ImportError
// naming the file and line.
void read_names_file(const Tracker& tracker, const std::string& path, NameResolver& resolver);

}  // namespace layoffs::io
