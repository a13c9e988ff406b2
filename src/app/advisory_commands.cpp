// `cvdbot advisory show|export ID`: the case's advisory as a coordinator checks it, and the
// text, CSAF 2.0 and CVE JSON 5.1 records it becomes. Export refuses what it knows is invalid.

#include <fstream>
#include <iostream>
#include <memory>

#include "advisory_facts.hpp"
#include "case_engine.hpp"
#include "cli.hpp"
#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"
#include "cvdbot/core/version.hpp"

namespace cvd::app {

namespace {

struct AdvisoryOptions {
    std::string case_id;
    std::string format = "text";
    std::string lang = "ja";
    std::string cve;
    std::string output;
    std::string now;
};

struct Loaded {
    domain::Case the_case;
    advisory::AdvisoryFacts facts;
    core::Timestamp now;
};

// The credit name the templates use (the report form's, else the discoverer's name): one rule.
core::Result<std::string> credit_name(const Config& config, store::Store& store,
                                      const domain::Case& c, core::Timestamp now) {
    auto participants = store.participants(c.row_id);
    if (!participants) return participants.error();
    for (const auto& p : *participants) {
        if (p.role != domain::Role::discoverer) continue;
        auto rules = rules::load_rules(config.rules_dir);
        if (!rules) return rules.error();
        auto templates = render::TemplateSet::load(config.templates_dir);
        if (!templates) return templates.error();
        CaseEngine engine(store, *templates, *rules, config, OutgoingCrypto{});
        auto vars = engine.case_variables(c, p, nullptr, now);
        if (!vars) return vars.error();
        return (*vars)["credit_name"];
    }
    return std::string();
}

core::Result<Loaded> load(Cli& cli, const AdvisoryOptions& options) {
    auto config = cli.config();
    if (!config) return config.error();
    auto store = cli.store();
    if (!store) return store.error();
    auto the_case = case_argument(**store, options.case_id);
    if (!the_case) return the_case.error();
    auto now = now_option(options.now);
    if (!now) return now.error();
    auto credit = credit_name(**config, **store, *the_case, *now);
    if (!credit) return credit.error();
    auto facts = load_advisory(**store, *the_case, (*config)->advisory, *credit);
    if (!facts) return facts.error();
    return Loaded{*the_case, std::move(*facts), *now};
}

core::Result<advisory::Lang> lang_of(const std::string& text) {
    if (text == "ja") return advisory::Lang::ja;
    if (text == "en") return advisory::Lang::en;
    return core::make_error(core::ErrorKind::invalid_input, "--lang must be ja or en");
}

core::Status show(Cli& cli, const AdvisoryOptions& options) {
    auto loaded = load(cli, options);
    if (!loaded) return loaded.error();
    const auto& f = loaded->facts;
    auto& out = std::cout;
    out << "case " << loaded->the_case.id.str() << "  advisory "
        << (f.advisory_id.empty() ? "-" : f.advisory_id) << "  published "
        << (f.published.empty() ? "-" : f.published) << "\n";
    for (auto lang : {advisory::Lang::ja, advisory::Lang::en}) {
        const char* l = advisory::to_string(lang);
        for (const auto& [name, text] : {std::pair{"title", &f.title},
                                         {"overview", &f.overview},
                                         {"description", &f.description},
                                         {"impact", &f.impact},
                                         {"solution", &f.solution},
                                         {"workaround", &f.workaround}})
            if (!text->in(lang).empty())
                out << name << " (" << l << "): " << text->in(lang) << "\n";
    }
    for (const auto& cve : f.cve_ids) out << "cve: " << cve << "\n";
    for (const auto& own : f.per_cve) {
        const auto prefix = "cve " + own.cve_id + " ";
        if (!own.cwe.empty()) out << prefix << "cwe: " << own.cwe << "\n";
        if (!own.cvss31.empty()) out << prefix << "cvss 3.1: " << own.cvss31 << "\n";
        if (!own.cvss40.empty()) out << prefix << "cvss 4.0: " << own.cvss40 << "\n";
        for (auto lang : {advisory::Lang::ja, advisory::Lang::en})
            if (!own.description.in(lang).empty())
                out << prefix << "description (" << advisory::to_string(lang)
                    << "): " << own.description.in(lang) << "\n";
    }
    if (!f.cwe.empty()) out << "cwe: " << f.cwe << "\n";
    if (!f.cvss31.empty()) {
        auto cvss = advisory::parse_cvss31(f.cvss31);
        out << "cvss 3.1: " << f.cvss31;
        if (cvss) out << " (" << cvss->base_score << " " << cvss->severity << ")";
        out << "\n";
    }
    if (!f.cvss40.empty()) {
        auto cvss = advisory::parse_cvss40(f.cvss40);
        out << "cvss 4.0: " << f.cvss40;
        if (cvss)
            out << " (" << advisory::format_score(cvss->score) << " " << cvss->severity << ")";
        out << "\n";
    }
    for (const auto& a : f.affected)
        out << "affected: " << a.vendor << " | " << a.product << " | "
            << advisory::format_version_range(a.versions)
            << (a.fixed_in.empty() ? "" : " | " + a.fixed_in) << "\n";
    for (const auto& s : f.vendor_statements)
        out << "vendor statement: " << s.vendor << " " << advisory::to_string(s.status) << " ("
            << s.date << ")\n";
    for (const auto& r : f.references)
        out << "reference: " << r.url << (r.title.empty() ? "" : " " + r.title) << "\n";
    out << "credit: "
        << (f.credit.consented ? f.credit.name.ja + " / " + f.credit.name.en : "(not wished)")
        << "\n";
    for (const auto& r : f.revisions)
        out << "revision: " << r.date << " " << r.summary.ja << " / " << r.summary.en << "\n";
    // Vendors' corrections by reply that wait for a coordinator's command.
    auto store = cli.store();
    if (!store) return store.error();
    auto record = (*store)->advisory(loaded->the_case.row_id);
    if (!record) return record.error();
    for (const auto& item : record->items)
        if (item.kind == "correction") out << "vendor correction: " << item.value << "\n";
    const auto problems = advisory::validate(f);
    if (problems.empty()) {
        out << "ready: text, CSAF and CVE records can be exported\n";
    } else {
        out << "missing or invalid before export:\n";
        for (const auto& p : problems) out << "  " << p.fact << ": " << p.message << "\n";
    }
    return {};
}

core::Status write_out(const std::string& path, const std::string& content) {
    if (path.empty() || path == "-") {
        std::cout << content;
        return {};
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << content;
    if (!file.flush()) return core::make_error(core::ErrorKind::io, path + ": cannot write");
    return {};
}

core::Status export_advisory(Cli& cli, const AdvisoryOptions& options) {
    auto lang = lang_of(options.lang);
    if (!lang) return lang.error();
    auto loaded = load(cli, options);
    if (!loaded) return loaded.error();
    const auto& f = loaded->facts;
    if (options.format == "text") {
        auto text = advisory::render_text(f, *lang);
        if (!text) return text.error();
        return write_out(options.output, *text);
    }
    if (options.format == "csaf") {
        auto csaf = advisory::to_csaf(f, *lang, core::format_iso8601(loaded->now), core::kVersion);
        if (!csaf) return csaf.error();
        return write_out(options.output, csaf->dump(2) + "\n");
    }
    if (options.format == "cve") {
        std::string cve = options.cve;
        if (cve.empty() && f.cve_ids.size() == 1) cve = f.cve_ids.front();
        if (cve.empty())
            return core::make_error(
                core::ErrorKind::invalid_input,
                f.cve_ids.empty() ? "the CVE record cannot be made: cve: no CVE id assigned"
                                  : "this advisory has several CVE ids: choose one with --cve");
        auto record = advisory::to_cve(f, cve);
        if (!record) return record.error();
        return write_out(options.output, record->dump(2) + "\n");
    }
    return core::make_error(core::ErrorKind::invalid_input, "--format must be text, csaf or cve");
}

}  // namespace

void add_advisory_commands(Cli& cli) {
    auto* cmd = cli.app.add_subcommand("advisory",
                                       "the public advisory of a case: show its facts, export it");
    cmd->require_subcommand(1);

    auto show_options = std::make_shared<AdvisoryOptions>();
    auto* show_cmd =
        cmd->add_subcommand("show", "the advisory facts on record and what is still missing");
    show_cmd->add_option("ID", show_options->case_id, "case id")->required();
    show_cmd->callback([&cli, show_options] {
        if (auto s = show(cli, *show_options); !s) cli.fail(s.error());
    });

    auto options = std::make_shared<AdvisoryOptions>();
    auto* export_cmd =
        cmd->add_subcommand("export", "write the advisory text, CSAF 2.0 or a CVE JSON 5.1 record");
    export_cmd->add_option("ID", options->case_id, "case id")->required();
    export_cmd->add_option("--format", options->format, "text, csaf or cve")
        ->check(CLI::IsMember({"text", "csaf", "cve"}));
    export_cmd->add_option("--lang", options->lang, "ja or en (text and CSAF)")
        ->check(CLI::IsMember({"ja", "en"}));
    export_cmd->add_option("--cve", options->cve, "which CVE id, when the advisory has several");
    export_cmd->add_option("-o,--output", options->output,
                           "write to this file instead of standard output");
    export_cmd->add_option("--now", options->now,
                           "pretend the time is this ISO 8601 instant (for tests)");
    export_cmd->callback([&cli, options] {
        if (auto s = export_advisory(cli, *options); !s) cli.fail(s.error());
    });
}

}  // namespace cvd::app
