#include "header_writer.hpp"

#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/encoded_words.hpp"

namespace cvd::mail::detail {
namespace {

constexpr std::size_t fold_at = 78;

bool needs_encoding(std::string_view word) {
    if (word.size() > 76 || word.find("=?") != std::string_view::npos) return true;
    for (unsigned char c : word)
        if (c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7F) return true;
    return false;
}

bool is_atext_phrase(std::string_view s) {
    for (unsigned char c : s) {
        if (c >= 0x80 || c < 0x20) return false;
        if (std::string_view("()<>[]:;@\\,.\"").find(static_cast<char>(c)) !=
            std::string_view::npos)
            return false;
    }
    return true;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        std::size_t sp = s.find(' ', start);
        out.push_back(s.substr(start, sp == std::string_view::npos ? sp : sp - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
    return out;
}

}  // namespace

void HeaderWriter::field(std::string_view name, const std::vector<Atom>& atoms) {
    std::string line(name);
    line += ':';
    bool first = true;
    for (const Atom& a : atoms) {
        if (a.glue && !first) {
            line += a.text;
            continue;
        }
        // Fold before this atom if it would cross the limit and the line has content.
        if (!first && !a.text.empty() && line.size() + 1 + a.text.size() > fold_at) {
            out_ += line;
            out_ += "\r\n";
            line.clear();
        }
        line += ' ';
        line += a.text;
        first = false;
    }
    out_ += line;
    out_ += "\r\n";
}

void HeaderWriter::unstructured(std::string_view name, std::string_view utf8) {
    field(name, unstructured_atoms(utf8, name.size() + 2));
}

void HeaderWriter::raw(std::string_view name, std::string_view value) {
    out_ += name;
    out_ += ": ";
    out_ += value;
    out_ += "\r\n";
}

std::vector<Atom> unstructured_atoms(std::string_view utf8, std::size_t first_column) {
    std::vector<Atom> atoms;
    auto words = split_spaces(utf8);
    std::size_t column = first_column;
    for (std::size_t i = 0; i < words.size();) {
        if (!needs_encoding(words[i])) {
            atoms.push_back({std::string(words[i]), false});
            column += words[i].size() + 1;
            ++i;
            continue;
        }
        // A run of words that need encoding is encoded as one text, spaces included: the
        // whitespace between adjacent encoded words is not part of the decoded value.
        std::size_t j = i;
        while (j < words.size()) {
            if (needs_encoding(words[j])) {
                ++j;
                continue;
            }
            // Runs of spaces between two encoded words belong inside the encoded text.
            std::size_t k = j;
            while (k < words.size() && words[k].empty()) ++k;
            if (k == j || k == words.size() || !needs_encoding(words[k])) break;
            j = k;
        }
        std::size_t begin = static_cast<std::size_t>(words[i].data() - utf8.data());
        std::size_t end =
            static_cast<std::size_t>(words[j - 1].data() - utf8.data()) + words[j - 1].size();
        std::size_t room = column < fold_at - 1 ? fold_at - 1 - column : 0;
        for (auto& w : encode_words(utf8.substr(begin, end - begin), room)) {
            column = w.size() + 1;
            atoms.push_back({std::move(w), false});
        }
        i = j;
    }
    return atoms;
}

std::vector<Atom> phrase_atoms(std::string_view utf8) {
    std::vector<Atom> atoms;
    if (utf8.empty()) return atoms;
    bool ascii =
        core::is_ascii(utf8) && utf8.find("=?") == std::string_view::npos && utf8.size() <= 200;
    if (ascii && is_atext_phrase(utf8) && utf8.find("  ") == std::string_view::npos &&
        utf8.front() != ' ' && utf8.back() != ' ') {
        for (auto w : split_spaces(utf8)) atoms.push_back({std::string(w), false});
        return atoms;
    }
    if (ascii) {
        std::string quoted = "\"";
        for (char c : utf8) {
            if (c == '"' || c == '\\') quoted.push_back('\\');
            quoted.push_back(c);
        }
        quoted.push_back('"');
        atoms.push_back({std::move(quoted), false});
        return atoms;
    }
    for (auto& w : encode_words(utf8, 75)) atoms.push_back({std::move(w), false});
    return atoms;
}

}  // namespace cvd::mail::detail
