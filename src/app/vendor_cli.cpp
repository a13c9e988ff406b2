// `cvdbot vendor ...`: registers the vendor directory's subcommands on the shared Cli.

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "cvdbot/core/text.hpp"
#include "vendor_commands.hpp"

namespace cvd::app {

namespace {

// Option storage of `vendor add` / `vendor edit`, turned into a VendorEdit after parsing.
struct EditArgs {
    std::string name, rename, languages, notes;
    std::vector<std::string> to, cc, remove_contacts, keys, remove_keys, products, remove_products,
        keywords, remove_keywords;
    bool publishable = false, not_publishable = false, accepts_direct = false, no_direct = false;
    bool per_product = false, general = false;
    CLI::Option* rename_opt = nullptr;
    CLI::Option* languages_opt = nullptr;
    CLI::Option* notes_opt = nullptr;

    VendorEdit edit() const {
        VendorEdit e;
        if (rename_opt && rename_opt->count()) e.rename = rename;
        e.add_to = to;
        e.add_cc = cc;
        e.remove_contacts = remove_contacts;
        e.add_keys = keys;
        e.remove_keys = remove_keys;
        if (languages_opt->count()) {
            e.languages.emplace();
            for (auto tag : core::split(languages, ','))
                if (!core::trim(tag).empty()) e.languages->emplace_back(core::trim(tag));
        }
        e.add_products = products;
        e.remove_products = remove_products;
        e.add_keywords = keywords;
        e.remove_keywords = remove_keywords;
        if (publishable || not_publishable) e.name_publishable = publishable;
        if (accepts_direct || no_direct) e.accepts_direct_reports = accepts_direct;
        if (per_product) e.registration = store::Registration::per_product;
        if (general) e.registration = store::Registration::general;
        if (notes_opt->count()) e.notes = notes;
        return e;
    }
};

// One value per occurrence: `--to a@x NAME` must not swallow NAME.
CLI::Option* repeatable(CLI::App* cmd, const std::string& flag, std::vector<std::string>& into,
                        const std::string& help) {
    return cmd->add_option(flag, into, help)->allow_extra_args(false)->type_name("VALUE");
}

void add_shared_options(CLI::App* cmd, EditArgs& a) {
    repeatable(cmd, "--to", a.to, "contact address reports go to (repeatable)");
    repeatable(cmd, "--cc", a.cc, "contact address copied on every message (repeatable)");
    repeatable(cmd, "--key", a.keys, "OpenPGP fingerprint, 40 hex digits (repeatable)");
    a.languages_opt =
        cmd->add_option("--lang", a.languages, "languages in order of preference, e.g. ja,en");
    repeatable(cmd, "--product", a.products, "product name for matching reports (repeatable)");
    repeatable(cmd, "--keyword", a.keywords, "keyword for matching reports (repeatable)");
    cmd->add_flag("--publishable", a.publishable, "the vendor's name may be published");
    cmd->add_flag("--accepts-direct", a.accepts_direct,
                  "accepts reports directly from discoverers");
    cmd->add_flag("--per-product", a.per_product, "registered per product rather than in general");
    a.notes_opt = cmd->add_option("--notes", a.notes, "free text for coordinators");
}

std::string decider() {
    const char* user = std::getenv("USER");
    return user && *user ? user : "admin";
}

template <typename Body>
void with_store(Cli& cli, Body body) {
    auto store = cli.store();
    if (!store) return cli.fail(store.error());
    if (core::Status s = body(**store); !s) cli.fail(s.error());
}

core::Result<store::Vendor> existing(store::VendorDirectory& directory, const std::string& name) {
    auto found = directory.find_by_name(name);
    if (!found) return found.error();
    if (!*found)
        return core::make_error(core::ErrorKind::not_found, "no vendor named '" + name + "'");
    return **found;
}

void add_add_and_edit(Cli& cli, CLI::App* vendor) {
    auto add_args = std::make_shared<EditArgs>();
    auto* add = vendor->add_subcommand("add", "add a vendor to the directory");
    add->add_option("NAME", add_args->name, "the vendor's name (unique, case ignored)")->required();
    add_shared_options(add, *add_args);
    add->callback([&cli, add_args] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            store::Vendor fresh;
            fresh.name = add_args->name;
            auto v = apply_vendor_edit(fresh, add_args->edit());
            if (!v) return v.error();
            auto stored = store::VendorDirectory(store).add(*v, core::SystemClock().now());
            if (!stored) return stored.error();
            print_vendor(*stored, std::cout);
            return {};
        });
    });

    auto edit_args = std::make_shared<EditArgs>();
    auto* edit = vendor->add_subcommand(
        "edit", "change a vendor; list options add, --remove-* options remove");
    edit->add_option("NAME", edit_args->name, "the vendor's current name")->required();
    add_shared_options(edit, *edit_args);
    edit_args->rename_opt = edit->add_option("--rename", edit_args->rename, "a new name");
    repeatable(edit, "--remove-contact", edit_args->remove_contacts,
               "drop a contact address (repeatable)");
    repeatable(edit, "--remove-key", edit_args->remove_keys, "drop a key (repeatable)");
    repeatable(edit, "--remove-product", edit_args->remove_products, "drop a product (repeatable)");
    repeatable(edit, "--remove-keyword", edit_args->remove_keywords, "drop a keyword (repeatable)");
    edit->add_flag("--not-publishable", edit_args->not_publishable,
                   "the vendor's name must not be published")
        ->excludes("--publishable");
    edit->add_flag("--no-direct", edit_args->no_direct,
                   "does not accept reports directly from discoverers")
        ->excludes("--accepts-direct");
    edit->add_flag("--general", edit_args->general, "registered in general")
        ->excludes("--per-product");
    edit->callback([&cli, edit_args] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            store::VendorDirectory directory(store);
            auto current = existing(directory, edit_args->name);
            if (!current) return current.error();
            auto v = apply_vendor_edit(*current, edit_args->edit());
            if (!v) return v.error();
            auto stored = directory.update(*v, core::SystemClock().now());
            if (!stored) return stored.error();
            print_vendor(*stored, std::cout);
            return {};
        });
    });
}

void add_views(Cli& cli, CLI::App* vendor) {
    auto name = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto* show = vendor->add_subcommand("show", "one vendor's directory entry");
    show->add_option("NAME", *name, "the vendor's name")->required();
    show->add_flag("--json", *json, "machine-readable output");
    show->callback([&cli, name, json] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            store::VendorDirectory directory(store);
            auto v = existing(directory, *name);
            if (!v) return v.error();
            if (*json)
                std::cout << vendor_to_json(*v) << "\n";
            else
                print_vendor(*v, std::cout);
            return {};
        });
    });

    auto list_json = std::make_shared<bool>(false);
    auto* list = vendor->add_subcommand("list", "every vendor in the directory");
    list->add_flag("--json", *list_json, "machine-readable output");
    list->callback([&cli, list_json] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            auto vendors = store::VendorDirectory(store).list();
            if (!vendors) return vendors.error();
            if (*list_json)
                std::cout << vendors_to_json(*vendors) << "\n";
            else
                print_vendor_list(*vendors, std::cout);
            return {};
        });
    });

    auto words = std::make_shared<std::vector<std::string>>();
    auto* match =
        vendor->add_subcommand("match", "vendors whose name, products or keywords occur in a text");
    match->add_option("TEXT", *words, "words of a report")->required();
    match->callback([&cli, words] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            std::string text;
            for (const auto& w : *words) text += w + " ";
            auto matches = store::VendorDirectory(store).match(text);
            if (!matches) return matches.error();
            if (matches->empty()) std::cout << "no vendor matches\n";
            for (const auto& m : *matches) {
                std::string terms;
                for (const auto& t : m.terms) terms += (terms.empty() ? "" : ", ") + t;
                std::cout << m.vendor.name << "  (" << terms << ")\n";
            }
            return {};
        });
    });
}

void add_import(Cli& cli, CLI::App* vendor) {
    auto path = std::make_shared<std::string>();
    auto update = std::make_shared<bool>(false);
    auto* import = vendor->add_subcommand(
        "import", "add vendors from a .csv or .toml file: all of them or none");
    import->add_option("FILE", *path, "vendors.csv or vendors.toml (see contrib/vendors.example.*)")
        ->required();
    import->add_flag("--update", *update,
                     "replace vendors already in the directory instead of refusing them");
    import->callback([&cli, path, update] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            auto outcome = import_vendors(store, read_vendor_file(*path), *update, core::SystemClock().now());
    if (!outcome) return outcome.error();
    if (outcome->problems.empty()) {
        std::cout << "imported " << outcome->added << " new and " << outcome->updated
                  << " updated vendors\n";
        return {};
    }
    for (const auto& p : outcome->problems) std::cerr << format_problem(*path, p) << "\n";
    return core::make_error(core::ErrorKind::invalid_input,
                            *path + ": " + std::to_string(outcome->problems.size()) +
                                " problem(s); nothing was imported");
});
}  // namespace
);
}  // namespace cvd::app

void add_change_commands(Cli& cli, CLI::App* vendor) {
    auto* changes =
        vendor->add_subcommand("changes", "contact changes vendors asked for, awaiting a decision");
    changes->callback([&cli] {
        with_store(cli, [&](store::Store& store) -> core::Status {
            store::VendorDirectory directory(store);
            return print_changes(directory, std::cout);
        });
    });
    for (const bool approving : {true, false}) {
        auto id = std::make_shared<std::int64_t>(0);
        auto by = std::make_shared<std::string>(decider());
        auto* cmd = vendor->add_subcommand(
            approving ? "approve" : "reject",
            approving ? "apply a pending contact change" : "refuse a pending contact change");
        cmd->add_option("ID", *id, "the change's number from `cvdbot vendor changes`")->required();
        cmd->add_option("--by", *by, "who decides, for the record")->capture_default_str();
        cmd->callback([&cli, id, by, approving] {
            with_store(cli, [&](store::Store& store) -> core::Status {
                store::VendorDirectory directory(store);
                const auto now = core::SystemClock().now();
                if (!approving) {
                    if (auto s = directory.reject(*id, *by, now); !s) return s;
                    std::cout << "rejected change " << *id << "\n";
                    return {};
                }
                auto v = directory.approve(*id, *by, now);
                if (!v) return v.error();
                std::cout << "approved change " << *id << "\n";
                print_vendor(*v, std::cout);
                return {};
            });
        });
    }
}

}  // namespace

void add_vendor_commands(Cli& cli) {
    auto* vendor =
        cli.app.add_subcommand("vendor", "the vendor directory: contacts, keys, products");
    vendor->require_subcommand(1);
    add_add_and_edit(cli, vendor);
    add_views(cli, vendor);
    add_import(cli, vendor);
    add_change_commands(cli, vendor);
}

}  // namespace cvd::app
