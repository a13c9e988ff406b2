// Deliberately small: enough to read an HTML-only report, not a renderer. Linear in the input.

#include "cvdbot/mail/html_text.hpp"

#include <array>
#include <cctype>

#include "cvdbot/core/text.hpp"

namespace cvd::mail {
namespace {

// Decodes the entity at html[i] == '&'; returns the index after it (or i+1 when not one).
std::size_t entity(std::string_view html, std::size_t i, std::string& out) {
    std::size_t semi = html.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
        out.push_back('&');
        return i + 1;
    }
    std::string_view name = html.substr(i + 1, semi - i - 1);
    if (!name.empty() && name[0] == '#') {
        char32_t c = 0;
        bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
        std::string_view digits = name.substr(hex ? 2 : 1);
        if (digits.empty()) {
            out.push_back('&');
            return i + 1;
        }
        for (char d : digits) {
            int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                    : hex && std::isxdigit(static_cast<unsigned char>(d))
                        ? std::tolower(static_cast<unsigned char>(d)) - 'a' + 10
                        : -1;
            if (v < 0) {
                out.push_back('&');
                return i + 1;
            }
            c = c * (hex ? 16 : 10) + static_cast<char32_t>(v);
            if (c > 0x10FFFF) c = 0xFFFD;
        }
        core::append_utf8(out, c == 0 ? 0xFFFD : c);  // &#0; must not smuggle a NUL in
        return semi + 1;
    }
    static const std::array<std::pair<const char*, char32_t>, 16> named{{
        {"amp", '&'},
        {"lt", '<'},
        {"gt", '>'},
        {"quot", '"'},
        {"apos", '\''},
        {"nbsp", 0xA0},
        {"copy", 0xA9},
        {"reg", 0xAE},
        {"hellip", 0x2026},
        {"mdash", 0x2014},
        {"ndash", 0x2013},
        {"laquo", 0xAB},
        {"raquo", 0xBB},
        {"yen", 0xA5},
        {"trade", 0x2122},
        {"bull", 0x2022},
    }};
    for (const auto& [n, c] : named) {
        if (name == n) {
            core::append_utf8(out, c == 0xA0 ? U' ' : c);
            return semi + 1;
        }
    }
    out.push_back('&');
    return i + 1;
}

bool is_block(std::string_view tag) {
    static const std::array<const char*, 20> blocks{
        "p",  "div", "br", "tr",         "table", "h1", "h2",      "h3",      "h4",     "h5",
        "h6", "ul",  "ol", "blockquote", "pre",   "hr", "section", "article", "header", "footer"};
    for (const char* b : blocks)
        if (tag == b) return true;
    return false;
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size() / 2);
    bool pre = false;
    bool pending_space = false;
    std::string href;
    auto newline = [&](int count) {
        pending_space = false;
        while (!out.empty() && out.back() == ' ') out.pop_back();
        int have = 0;
        for (auto it = out.rbegin(); it != out.rend() && *it == '\n' && have < 2; ++it) ++have;
        if (out.empty()) return;
        for (int k = have; k < count; ++k) out.push_back('\n');
    };
    std::size_t i = 0;
    while (i < html.size()) {
        char c = html[i];
        if (c == '<') {
            if (html.substr(i, 4) == "<!--") {
                std::size_t end = html.find("-->", i + 4);
                i = end == std::string_view::npos ? html.size() : end + 3;
                continue;
            }
            std::size_t end = html.find('>', i);
            if (end == std::string_view::npos) break;
            std::string_view inside = html.substr(i + 1, end - i - 1);
            bool closing = !inside.empty() && inside[0] == '/';
            if (closing) inside.remove_prefix(1);
            std::size_t name_end = 0;
            while (name_end < inside.size() &&
                   std::isalnum(static_cast<unsigned char>(inside[name_end])))
                ++name_end;
            std::string tag = core::to_lower_ascii(inside.substr(0, name_end));
            i = end + 1;
            if (!closing &&
                (tag == "script" || tag == "style" || tag == "head" || tag == "title")) {
                std::string close = "</" + tag;
                // Case-insensitive search for the closing tag.
                std::size_t k = i;
                while (k < html.size()) {
                    std::size_t lt = html.find("</", k);
                    if (lt == std::string_view::npos) {
                        k = html.size();
                        break;
                    }
                    if (core::iequals_ascii(html.substr(lt, close.size()), close)) {
                        std::size_t gt = html.find('>', lt);
                        k = gt == std::string_view::npos ? html.size() : gt + 1;
                        break;
                    }
                    k = lt + 2;
                }
                i = k;
                continue;
            }
            if (tag == "pre") pre = !closing;
            if (tag == "br") {
                newline(1);
            } else if (tag == "li" && !closing) {
                newline(1);
                out += "- ";
            } else if (tag == "p" || tag == "blockquote" ||
                       (tag.size() == 2 && tag[0] == 'h' &&
                        std::isdigit(static_cast<unsigned char>(tag[1])))) {
                newline(2);
            } else if (is_block(tag)) {
                newline(1);
            } else if (tag == "td" || tag == "th") {
                if (closing) pending_space = true;
            } else if (tag == "a") {
                if (!closing) {
                    href.clear();
                    std::string lower = core::to_lower_ascii(inside);
                    std::size_t h = lower.find("href=");
                    if (h != std::string::npos) {
                        std::size_t v = h + 5;
                        char q = v < inside.size() ? inside[v] : ' ';
                        if (q == '"' || q == '\'') {
                            std::size_t e = inside.find(q, v + 1);
                            href = std::string(inside.substr(v + 1, e == std::string_view::npos
                                                                        ? std::string_view::npos
                                                                        : e - v - 1));
                        } else {
                            std::size_t e = inside.find_first_of(" \t>", v);
                            href = std::string(inside.substr(
                                v, e == std::string_view::npos ? std::string_view::npos : e - v));
                        }
                    }
                } else if (!href.empty() && href.rfind("mailto:", 0) != 0 && href[0] != '#') {
                    // Keep a link target the text does not already show.
                    if (out.find(href, out.size() > href.size() + 200
                                           ? out.size() - href.size() - 200
                                           : 0) == std::string::npos)
                        out += " <" + href + ">";
                    href.clear();
                }
            }
            continue;
        }
        if (!pre && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            pending_space = true;
            ++i;
            continue;
        }
        if (pending_space && !out.empty() && out.back() != '\n' && out.back() != ' ')
            out.push_back(' ');
        pending_space = false;
        if (c == '&') {
            i = entity(html, i, out);
            continue;
        }
        if (c == '\r') {
            ++i;
            continue;
        }
        out.push_back(c);
        ++i;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    std::size_t start = out.find_first_not_of("\n ");
    if (start == std::string::npos) return {};
    out.erase(0, start);
    out.push_back('\n');
    return out;
}

}  // namespace cvd::mail
