#pragma once
// Writes folded header fields (internal to the composer).

#include <string>
#include <string_view>
#include <vector>

namespace cvd::mail::detail {

// One unbreakable piece of a header value. Pieces are joined by one space, which is where a
// line may be folded; `glue` pieces follow the previous one without a space (never folded).
struct Atom {
    std::string text;
    bool glue = false;
};

class HeaderWriter {
  public:
    // Appends "Name: atoms..." folded so that lines stay within 78 columns where the atoms
    // allow it, each line ended by CRLF.
    void field(std::string_view name, const std::vector<Atom>& atoms);
    // An unstructured value (Subject, extra headers): RFC 2047 for non-ASCII runs.
    void unstructured(std::string_view name, std::string_view utf8);
    // A raw value that needs no folding ("1.0", a content type).
    void raw(std::string_view name, std::string_view value);

    const std::string& str() const { return out_; }

  private:
    std::string out_;
};

// The atoms of an unstructured UTF-8 value; `first_column` is where the value starts.
std::vector<Atom> unstructured_atoms(std::string_view utf8, std::size_t first_column);

// A display name as phrase atoms: atoms as they are, a quoted string, or encoded words.
std::vector<Atom> phrase_atoms(std::string_view utf8);

}  // namespace cvd::mail::detail
