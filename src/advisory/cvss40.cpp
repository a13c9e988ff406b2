// CVSS v4.0 scoring per the FIRST specification (section 8): the vector's MacroVector (six
// equivalence classes) gives a score from the specification's lookup table; the distance of
// the vector from the highest-severity vectors of its MacroVector, relative to the next lower
// MacroVectors, moves the score down within its class. Threat and environmental metrics are
// scored too (the modified metrics replace the base ones); supplemental metrics are kept in
// the vector but change nothing, as the specification says.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "cvdbot/advisory/cvss.hpp"
#include "cvss_internal.hpp"

namespace cvd::advisory {
namespace {

using core::ErrorKind;
using core::make_error;

struct MetricDef {
    const char* name;
    const char* values;  // without X for base metrics
};

// The specification's vector order (section 7), which is also what the CVE schema requires.
constexpr MetricDef kMetrics40[] = {
    {"AV", "NALP"},   {"AC", "LH"},    {"AT", "NP"},    {"PR", "NLH"},   {"UI", "NPA"},
    {"VC", "HLN"},    {"VI", "HLN"},   {"VA", "HLN"},   {"SC", "HLN"},   {"SI", "HLN"},
    {"SA", "HLN"},    {"E", "XAPU"},   {"CR", "XHML"},  {"IR", "XHML"},  {"AR", "XHML"},
    {"MAV", "XNALP"}, {"MAC", "XLH"},  {"MAT", "XNP"},  {"MPR", "XNLH"}, {"MUI", "XNPA"},
    {"MVC", "XHLN"},  {"MVI", "XHLN"}, {"MVA", "XHLN"}, {"MSC", "XHLN"}, {"MSI", "XSHLN"},
    {"MSA", "XSHLN"}, {"S", "XNP"},    {"AU", "XNY"},   {"R", "XAUI"},   {"V", "XDC"},
    {"RE", "XLMH"}};
constexpr int kBaseCount = 11;

// MacroVector -> score x 10, from the specification's lookup table (cvss_lookup.js of the
// FIRST calculator); 270 classes.
const std::map<std::string, int>& lookup_table() {
    static const std::map<std::string, int> kTable{
        {"000000", 100}, {"000001", 99},  {"000010", 98}, {"000011", 95}, {"000020", 95},
        {"000021", 92},  {"000100", 100}, {"000101", 96}, {"000110", 93}, {"000111", 87},
        {"000120", 91},  {"000121", 81},  {"000200", 93}, {"000201", 90}, {"000210", 89},
        {"000211", 80},  {"000220", 81},  {"000221", 68}, {"001000", 98}, {"001001", 95},
        {"001010", 95},  {"001011", 92},  {"001020", 90}, {"001021", 84}, {"001100", 93},
        {"001101", 92},  {"001110", 89},  {"001111", 81}, {"001120", 81}, {"001121", 65},
        {"001200", 88},  {"001201", 80},  {"001210", 78}, {"001211", 70}, {"001220", 69},
        {"001221", 48},  {"002001", 92},  {"002011", 82}, {"002021", 72}, {"002101", 79},
        {"002111", 69},  {"002121", 50},  {"002201", 69}, {"002211", 55}, {"002221", 27},
        {"010000", 99},  {"010001", 97},  {"010010", 95}, {"010011", 92}, {"010020", 92},
        {"010021", 85},  {"010100", 95},  {"010101", 91}, {"010110", 90}, {"010111", 83},
        {"010120", 84},  {"010121", 71},  {"010200", 92}, {"010201", 81}, {"010210", 82},
        {"010211", 71},  {"010220", 72},  {"010221", 53}, {"011000", 95}, {"011001", 93},
        {"011010", 92},  {"011011", 85},  {"011020", 85}, {"011021", 73}, {"011100", 92},
        {"011101", 82},  {"011110", 80},  {"011111", 72}, {"011120", 70}, {"011121", 59},
        {"011200", 84},  {"011201", 70},  {"011210", 71}, {"011211", 52}, {"011220", 50},
        {"011221", 30},  {"012001", 86},  {"012011", 75}, {"012021", 52}, {"012101", 71},
        {"012111", 52},  {"012121", 29},  {"012201", 63}, {"012211", 29}, {"012221", 17},
        {"100000", 98},  {"100001", 95},  {"100010", 94}, {"100011", 87}, {"100020", 91},
        {"100021", 81},  {"100100", 94},  {"100101", 89}, {"100110", 86}, {"100111", 74},
        {"100120", 77},  {"100121", 64},  {"100200", 87}, {"100201", 75}, {"100210", 74},
        {"100211", 63},  {"100220", 63},  {"100221", 49}, {"101000", 94}, {"101001", 89},
        {"101010", 88},  {"101011", 77},  {"101020", 76}, {"101021", 67}, {"101100", 86},
        {"101101", 76},  {"101110", 74},  {"101111", 58}, {"101120", 59}, {"101121", 50},
        {"101200", 72},  {"101201", 57},  {"101210", 57}, {"101211", 52}, {"101220", 52},
        {"101221", 25},  {"102001", 83},  {"102011", 70}, {"102021", 54}, {"102101", 65},
        {"102111", 58},  {"102121", 26},  {"102201", 53}, {"102211", 21}, {"102221", 13},
        {"110000", 95},  {"110001", 90},  {"110010", 88}, {"110011", 76}, {"110020", 76},
        {"110021", 70},  {"110100", 90},  {"110101", 77}, {"110110", 75}, {"110111", 62},
        {"110120", 61},  {"110121", 53},  {"110200", 77}, {"110201", 66}, {"110210", 68},
        {"110211", 59},  {"110220", 52},  {"110221", 30}, {"111000", 89}, {"111001", 78},
        {"111010", 76},  {"111011", 67},  {"111020", 62}, {"111021", 58}, {"111100", 74},
        {"111101", 59},  {"111110", 57},  {"111111", 57}, {"111120", 47}, {"111121", 23},
        {"111200", 61},  {"111201", 52},  {"111210", 57}, {"111211", 29}, {"111220", 24},
        {"111221", 16},  {"112001", 71},  {"112011", 59}, {"112021", 30}, {"112101", 58},
        {"112111", 26},  {"112121", 15},  {"112201", 23}, {"112211", 13}, {"112221", 6},
        {"200000", 93},  {"200001", 87},  {"200010", 86}, {"200011", 72}, {"200020", 75},
        {"200021", 58},  {"200100", 86},  {"200101", 74}, {"200110", 74}, {"200111", 61},
        {"200120", 56},  {"200121", 34},  {"200200", 70}, {"200201", 54}, {"200210", 52},
        {"200211", 40},  {"200220", 40},  {"200221", 22}, {"201000", 85}, {"201001", 75},
        {"201010", 74},  {"201011", 55},  {"201020", 62}, {"201021", 51}, {"201100", 72},
        {"201101", 57},  {"201110", 55},  {"201111", 41}, {"201120", 46}, {"201121", 19},
        {"201200", 53},  {"201201", 36},  {"201210", 34}, {"201211", 19}, {"201220", 19},
        {"201221", 8},   {"202001", 64},  {"202011", 51}, {"202021", 20}, {"202101", 47},
        {"202111", 21},  {"202121", 11},  {"202201", 24}, {"202211", 9},  {"202221", 4},
        {"210000", 88},  {"210001", 75},  {"210010", 73}, {"210011", 53}, {"210020", 60},
        {"210021", 50},  {"210100", 73},  {"210101", 55}, {"210110", 59}, {"210111", 40},
        {"210120", 41},  {"210121", 20},  {"210200", 54}, {"210201", 43}, {"210210", 45},
        {"210211", 22},  {"210220", 20},  {"210221", 11}, {"211000", 75}, {"211001", 55},
        {"211010", 58},  {"211011", 45},  {"211020", 40}, {"211021", 21}, {"211100", 61},
        {"211101", 51},  {"211110", 48},  {"211111", 18}, {"211120", 20}, {"211121", 9},
        {"211200", 46},  {"211201", 18},  {"211210", 17}, {"211211", 7},  {"211220", 8},
        {"211221", 2},   {"212001", 53},  {"212011", 24}, {"212021", 14}, {"212101", 24},
        {"212111", 12},  {"212121", 5},   {"212201", 10}, {"212211", 3},  {"212221", 1},
    };
    return kTable;
}

std::optional<double> lookup(const std::string& macro) {
    auto it = lookup_table().find(macro);
    if (it == lookup_table().end()) return std::nullopt;
    return it->second / 10.0;
}

// The metric values a vector is scored with: modified metrics over base ones; E and the
// security requirements default to their worst case (A, H) when not defined.
class Effective {
  public:
    explicit Effective(const std::map<std::string, char>& m) : m_(m) {}
    char operator()(const std::string& name) const {
        if (name == "E") return get("E", 'A');
        if (name == "CR" || name == "IR" || name == "AR") return get(name, 'H');
        char modified = get("M" + name, 'X');
        return modified != 'X' ? modified : m_.at(name);
    }

  private:
    char get(const std::string& name, char fallback) const {
        auto it = m_.find(name);
        return it == m_.end() || it->second == 'X' ? fallback : it->second;
    }
    const std::map<std::string, char>& m_;
};

std::array<int, 6> macro_vector(const Effective& m) {
    std::array<int, 6> eq{};
    const bool any_n = m("AV") == 'N' || m("PR") == 'N' || m("UI") == 'N';
    if (m("AV") == 'N' && m("PR") == 'N' && m("UI") == 'N')
        eq[0] = 0;
    else if (any_n && m("AV") != 'P')
        eq[0] = 1;
    else
        eq[0] = 2;
    eq[1] = m("AC") == 'L' && m("AT") == 'N' ? 0 : 1;
    if (m("VC") == 'H' && m("VI") == 'H')
        eq[2] = 0;
    else if (m("VC") == 'H' || m("VI") == 'H' || m("VA") == 'H')
        eq[2] = 1;
    else
        eq[2] = 2;
    if (m("SI") == 'S' || m("SA") == 'S')
        eq[3] = 0;
    else if (m("SC") == 'H' || m("SI") == 'H' || m("SA") == 'H')
        eq[3] = 1;
    else
        eq[3] = 2;
    eq[4] = m("E") == 'A' ? 0 : m("E") == 'P' ? 1 : 2;
    const bool high = (m("CR") == 'H' && m("VC") == 'H') || (m("IR") == 'H' && m("VI") == 'H') ||
                      (m("AR") == 'H' && m("VA") == 'H');
    eq[5] = high ? 0 : 1;
    return eq;
}

std::string macro_string(std::array<int, 6> eq) {
    std::string out;
    for (int v : eq) out += static_cast<char>('0' + v);
    return out;
}

// Severity levels in tenths (section 8.2): how far each value is from the worst one.
int level(const std::string& metric, char value) {
    static const std::map<std::string, std::string> kOrder{
        {"AV", "NALP"}, {"PR", "NLH"}, {"UI", "NPA"}, {"AC", "LH"},   {"AT", "NP"},
        {"VC", "HLN"},  {"VI", "HLN"}, {"VA", "HLN"}, {"SC", "-HLN"}, {"SI", "SHLN"},
        {"SA", "SHLN"}, {"CR", "HML"}, {"IR", "HML"}, {"AR", "HML"}};
    return static_cast<int>(kOrder.at(metric).find(value));
}

// The highest-severity vectors of each equivalence class level (the specification's
// max_composed), as metric:value pairs.
using Pairs = std::vector<std::pair<std::string, char>>;
std::vector<Pairs> max_vectors(std::array<int, 6> eq) {
    static const std::vector<std::vector<Pairs>> kEq1{
        {{{"AV", 'N'}, {"PR", 'N'}, {"UI", 'N'}}},
        {{{"AV", 'A'}, {"PR", 'N'}, {"UI", 'N'}},
         {{"AV", 'N'}, {"PR", 'L'}, {"UI", 'N'}},
         {{"AV", 'N'}, {"PR", 'N'}, {"UI", 'P'}}},
        {{{"AV", 'P'}, {"PR", 'N'}, {"UI", 'N'}}, {{"AV", 'A'}, {"PR", 'L'}, {"UI", 'P'}}}};
    static const std::vector<std::vector<Pairs>> kEq2{
        {{{"AC", 'L'}, {"AT", 'N'}}}, {{{"AC", 'H'}, {"AT", 'N'}}, {{"AC", 'L'}, {"AT", 'P'}}}};
    const auto cia = [](const char* v) {
        return Pairs{{"VC", v[0]}, {"VI", v[1]}, {"VA", v[2]},
                     {"CR", v[3]}, {"IR", v[4]}, {"AR", v[5]}};
    };
    // [eq3][eq6]; eq3 = 2 with eq6 = 0 cannot happen.
    static const std::vector<std::vector<std::vector<Pairs>>> kEq3Eq6{
        {{cia("HHHHHH")}, {cia("HHLMMH"), cia("HHHMMM")}},
        {{cia("LHHHHH"), cia("HLHHHH")},
         {cia("LHLHMH"), cia("LHHHMM"), cia("HLHMHM"), cia("HLLMHH"), cia("LLHHHM")}},
        {{}, {cia("LLLHHH")}}};
    static const std::vector<std::vector<Pairs>> kEq4{{{{"SC", 'H'}, {"SI", 'S'}, {"SA", 'S'}}},
                                                      {{{"SC", 'H'}, {"SI", 'H'}, {"SA", 'H'}}},
                                                      {{{"SC", 'L'}, {"SI", 'L'}, {"SA", 'L'}}}};
    std::vector<Pairs> out;
    for (const auto& a : kEq1[eq[0]])
        for (const auto& b : kEq2[eq[1]])
            for (const auto& c : kEq3Eq6[eq[2]][eq[5]])
                for (const auto& d : kEq4[eq[3]]) {
                    Pairs all = a;
                    for (const auto* part : {&b, &c, &d})
                        all.insert(all.end(), part->begin(), part->end());
                    out.push_back(std::move(all));
                }
    return out;
}

double score40(const Effective& m) {
    bool no_impact = true;
    for (const char* name : {"VC", "VI", "VA", "SC", "SI", "SA"})
        if (m(name) != 'N') no_impact = false;
    if (no_impact) return 0.0;

    const auto eq = macro_vector(m);
    const double value = *lookup(macro_string(eq));
    const auto lower = [&](int index) {
        auto next = eq;
        ++next[index];
        return lookup(macro_string(next));
    };
    const auto eq1_lower = lower(0), eq2_lower = lower(1), eq4_lower = lower(3),
               eq5_lower = lower(4);
    std::optional<double> eq3eq6_lower;
    if (eq[2] == 0 && eq[5] == 0) {
        // Two ways down: take the higher of the two next MacroVectors.
        const auto left = lower(5), right = lower(2);
        eq3eq6_lower = left && right ? std::max(*left, *right) : (left ? left : right);
    } else if (eq[2] == 1 && eq[5] == 0) {
        eq3eq6_lower = lower(5);
    } else {
        eq3eq6_lower = lower(2);
    }

    // The first highest-severity vector of the class that the scored vector does not exceed.
    std::map<std::string, int> distance;
    for (const auto& max : max_vectors(eq)) {
        distance.clear();
        bool below = true;
        for (const auto& [name, worst] : max) {
            const char own = m(name);
            distance[name] = level(name, own) - level(name, worst);
            if (distance[name] < 0) below = false;
        }
        if (below) break;
    }
    const int d_eq1 = distance["AV"] + distance["PR"] + distance["UI"];
    const int d_eq2 = distance["AC"] + distance["AT"];
    const int d_eq3eq6 = distance["VC"] + distance["VI"] + distance["VA"] + distance["CR"] +
                         distance["IR"] + distance["AR"];
    const int d_eq4 = distance["SC"] + distance["SI"] + distance["SA"];

    // The depth of each class in tenths (the specification's max_severity).
    static const int kDepthEq1[] = {1, 4, 5};
    static const int kDepthEq2[] = {1, 2};
    static const int kDepthEq3Eq6[3][2] = {{7, 6}, {8, 8}, {0, 10}};
    static const int kDepthEq4[] = {6, 5, 4};

    double sum = 0;
    int existing = 0;
    const auto add = [&](const std::optional<double>& next, int distance_tenths, int depth_tenths) {
        if (!next) return;
        ++existing;
        if (depth_tenths == 0) return;
        sum += (value - *next) * (distance_tenths / static_cast<double>(depth_tenths));
    };
    add(eq1_lower, d_eq1, kDepthEq1[eq[0]]);
    add(eq2_lower, d_eq2, kDepthEq2[eq[1]]);
    add(eq3eq6_lower, d_eq3eq6, kDepthEq3Eq6[eq[2]][eq[5]]);
    add(eq4_lower, d_eq4, kDepthEq4[eq[3]]);
    add(eq5_lower, 0, 1);  // E has one value per class: no distance within it
    double score = value - (existing == 0 ? 0 : sum / existing);
    score = std::clamp(score, 0.0, 10.0);
    // One decimal, half up; the small epsilon keeps 4.45 from becoming 4.4 in binary.
    return std::round((score + 1e-6) * 10) / 10;
}

}  // namespace

core::Result<Cvss40> parse_cvss40(const std::string& vector) {
    auto read = internal::read_metrics(vector, "CVSS:4.0/");
    if (!read) return read.error();
    auto metrics = *read;
    std::string canonical = "CVSS:4.0";
    int index = 0;
    for (const auto& def : kMetrics40) {
        const bool base = index++ < kBaseCount;
        auto it = metrics.find(def.name);
        if (it == metrics.end()) {
            if (base)
                return make_error(ErrorKind::invalid_input,
                                  std::string("CVSS 4.0 base metric ") + def.name + " is missing");
            continue;
        }
        if (std::string(def.values).find(it->second) == std::string::npos)
            return make_error(ErrorKind::invalid_input, std::string("CVSS 4.0 metric ") + def.name +
                                                            " cannot be " + it->second);
        canonical += std::string("/") + def.name + ":" + it->second;
    }
    for (const auto& [name, value] : metrics) {
        bool known = false;
        for (const auto& def : kMetrics40) known = known || name == def.name;
        if (!known) return make_error(ErrorKind::invalid_input, "unknown CVSS 4.0 metric " + name);
    }
    Cvss40 out;
    out.vector = canonical;
    out.score = score40(Effective(metrics));
    out.severity = cvss_severity(out.score);
    return out;
}

core::Status check_cvss40(const std::string& vector) {
    auto parsed = parse_cvss40(vector);
    if (!parsed) return parsed.error();
    return {};
}

}  // namespace cvd::advisory
