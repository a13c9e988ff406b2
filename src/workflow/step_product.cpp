// The product track: one status per vendor, the case state follows from them.
#include <algorithm>

#include "cvdbot/workflow/calendar.hpp"
#include "step_internal.hpp"

namespace cvd::workflow::detail {

using domain::CaseState;
using domain::Role;
using domain::VendorState;

namespace {

// How far a vendor has come on the normal path; side paths rank separately.
int progress(VendorState s) {
    switch (s) {
        case VendorState::pending:
            return 0;
        case VendorState::contacted:
            return 1;
        case VendorState::details_sent:
            return 2;
        case VendorState::verifying:
            return 3;
        case VendorState::fixing:
            return 4;
        case VendorState::date_agreed:
            return 5;
        case VendorState::published:
            return 6;
        default:
            return -1;
    }
}

CaseState from_progress(int p) {
    switch (p) {
        case 1:
            return CaseState::vendor_contacted;
        case 2:
            return CaseState::details_sent;
        case 3:
            return CaseState::verifying;
        case 4:
            return CaseState::fixing;
        case 5:
            return CaseState::date_agreed;
        case 6:
            return CaseState::published;
        default:
            return CaseState::accepted;
    }
}

bool vendor_driven(CaseState s) {
    switch (s) {
        case CaseState::accepted:
        case CaseState::vendor_contacted:
        case CaseState::details_sent:
        case CaseState::verifying:
        case CaseState::fixing:
        case CaseState::date_agreed:
        case CaseState::unreachable:
        case CaseState::no_agreement:
            return true;
        default:
            return false;
    }
}

struct Change {
    std::vector<VendorSnapshot> vendors;
    void set(Ctx& ctx, std::int64_t participant, VendorState state) {
        auto it = std::find_if(vendors.begin(), vendors.end(),
                               [&](const auto& v) { return v.participant == participant; });
        if (it == vendors.end())
            vendors.push_back({participant, state, false, false});
        else
            it->state = state;
        ctx.out.commands.push_back(SetVendorStatus{participant, state});
    }
};

std::string vendor_label(std::int64_t participant) {
    return "vendor #" + std::to_string(participant);
}

}  // namespace

CaseState derive_product_state(const CaseSnapshot& c, const std::vector<VendorSnapshot>& vendors) {
    if (!vendor_driven(c.state)) return c.state;
    // The slowest vendor still on the normal path sets the pace: the case cannot be
    // published before every affected vendor is ready.
    int slowest = 100;
    bool any_affected = false, any_unreachable = false, any_no_agreement = false,
         all_cancelled = true;
    bool any = false;
    for (const auto& v : vendors) {
        if (v.state == VendorState::pending) continue;
        any = true;
        if (v.state != VendorState::publication_cancelled && v.state != VendorState::not_affected)
            all_cancelled = false;
        if (v.state == VendorState::not_affected || v.state == VendorState::publication_cancelled)
            continue;
        any_affected = true;
        if (const int p = progress(v.state); p >= 0)
            slowest = std::min(slowest, p);
        else if (v.state == VendorState::no_agreement)
            any_no_agreement = true;
        else
            any_unreachable = true;  // unreachable, name_listed, product_listed
    }
    if (!any) return c.state;
    if (!any_affected) {
        const bool some_cancelled = std::any_of(vendors.begin(), vendors.end(), [](const auto& v) {
            return v.state == VendorState::publication_cancelled;
        });
        return some_cancelled && all_cancelled ? CaseState::publication_cancelled
                                               : CaseState::not_affected;
    }
    if (any_no_agreement) return CaseState::no_agreement;
    if (slowest != 100) return from_progress(slowest);
    return any_unreachable ? CaseState::unreachable : c.state;
}

core::Result<StepOutcome> on_lift_request(Ctx ctx, bool by_coordinator) {
    const auto& c = ctx.c;
    if (!domain::is_open(c.state) || c.track != domain::Track::product)
        return refuse(c, "lift nondisclosure",
                      "only open product cases have a non-disclosure period");
    if (!c.start_date)
        return refuse(c, "lift nondisclosure",
                      "no vendor has been contacted, so there is no start date yet");
    const auto possible = add_months(*c.start_date, ctx.rules.timers.nondisclosure_lift_months);
    if (ctx.now < possible) {
        const std::string when = date_text(possible);
        if (by_coordinator)
            return refuse(c, "lift nondisclosure",
                          "possible from " + when + ", one year after the start date " +
                              date_text(*c.start_date));
        // The discoverer gets an answer with the date, not silence.
        ctx.audit("nondisclosure_lift_refused", "requested before " + when);
        ctx.send("nondisclosure_lift_refused", Role::discoverer, std::nullopt,
                 {{"lift_date", when}});
        return std::move(ctx.out);
    }
    ctx.out.state = CaseState::nondisclosure_lifted;
    ctx.audit("nondisclosure_lifted",
              by_coordinator ? "by the coordinator" : "at the discoverer's request");
    ctx.send("nondisclosure_lift_accepted", Role::discoverer);
    for (const auto& v : c.vendors)
        if (v.state != VendorState::pending)
            ctx.send("nondisclosure_lift_accepted", Role::vendor, v.participant);
    for (const auto& t : c.timers) ctx.clear_timer(t.name, t.participant);
    return std::move(ctx.out);
}

core::Result<StepOutcome> on_product_command(Ctx ctx, const CoordinatorCommand& cmd) {
    const auto& c = ctx.c;
    const std::string name(to_string(cmd.verb));
    Change change{c.vendors};
    const VendorSnapshot* vendor = nullptr;
    const bool needs_vendor =
        cmd.verb == Verb::contact_vendor || cmd.verb == Verb::send_details ||
        cmd.verb == Verb::vendor_status || cmd.verb == Verb::unreachable ||
        cmd.verb == Verb::no_agreement || cmd.verb == Verb::cancel_publication ||
        cmd.verb == Verb::allow_pre_notice || cmd.verb == Verb::direct_contact ||
        cmd.verb == Verb::relay;
    if (needs_vendor) {
        if (!cmd.participant)
            return core::make_error(core::ErrorKind::invalid_input,
                                    name + ": no vendor \"" + cmd.text + "\" on this case");
        vendor = find_vendor(c, *cmd.participant);
        if (!vendor && cmd.verb != Verb::contact_vendor)
            return refuse(c, name, vendor_label(*cmd.participant) + " has not been contacted");
    }
    const auto vstate = vendor ? vendor->state : VendorState::pending;
    const auto finish = [&](Ctx& x) -> core::Result<StepOutcome> {
        x.out.state = derive_product_state(c, change.vendors);
        return std::move(x.out);
    };
    const bool open_path = vendor_driven(c.state);

    switch (cmd.verb) {
        case Verb::contact_vendor: {
            if (!open_path || c.state == CaseState::date_agreed) return refuse(c, name);
            if (vstate != VendorState::pending)
                return refuse(c, name,
                              vendor_label(*cmd.participant) + " is already " +
                                  std::string(domain::to_string(vstate)));
            const auto p = *cmd.participant;
            change.set(ctx, p, VendorState::contacted);
            ctx.send("vendor_first_contact", Role::vendor, p);
            ctx.audit("vendor_contacted", vendor_label(p) + " " + cmd.text);
            if (!c.start_date) {
                // The first contact attempt is the start date (起算日) every deadline counts from.
                ctx.out.commands.push_back(SetStartDate{ctx.now});
                ctx.set_timer("publication_target", std::nullopt,
                              add_days(ctx.now, ctx.rules.timers.publication_target_days));
                ctx.set_timer("nondisclosure_lift", std::nullopt,
                              add_months(ctx.now, ctx.rules.timers.nondisclosure_lift_months));
            }
            ctx.set_timer("vendor_reminder_1", p,
                          add_days(ctx.now, ctx.rules.timers.vendor_reminder_days.front()));
            return finish(ctx);
        }
        case Verb::send_details:
            if (!vendor) return refuse(c, name, "name the vendor: send details VENDOR");
            if (vstate != VendorState::contacted)
                return refuse(c, name,
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            change.set(ctx, vendor->participant, VendorState::details_sent);
            ctx.send("vendor_details", Role::vendor, vendor->participant);
            ctx.audit("details_sent", vendor_label(vendor->participant));
            return finish(ctx);
        case Verb::vendor_status: {
            const auto to = *cmd.vendor_state;
            const bool ok =
                (to == VendorState::details_sent && vstate == VendorState::contacted) ||
                (to == VendorState::verifying && vstate == VendorState::details_sent) ||
                (to == VendorState::fixing &&
                 (vstate == VendorState::details_sent || vstate == VendorState::verifying ||
                  vstate == VendorState::no_agreement || vstate == VendorState::unreachable)) ||
                (to == VendorState::not_affected &&
                 (vstate == VendorState::details_sent || vstate == VendorState::verifying));
            if (!ok)
                return refuse(c, name + " " + std::string(domain::to_string(to)),
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            change.set(ctx, vendor->participant, to);
            ctx.audit("vendor_status", vendor_label(vendor->participant) + ": " +
                                           std::string(domain::to_string(to)));
            if (to == VendorState::fixing || to == VendorState::not_affected) {
                ctx.clear_timers("vendor_reminder_", vendor->participant);
                ctx.clear_timers("vendor_unreachable", vendor->participant);
                ctx.clear_timers("name_listing", vendor->participant);
                ctx.clear_timers("product_listing", vendor->participant);
            }
            auto result = finish(ctx);
            if (result && result->state == CaseState::not_affected) {
                result->commands.push_back(
                    SendTemplate{"not_affected_notice", Role::discoverer, std::nullopt, {}});
                for (const auto& t : c.timers)
                    result->commands.push_back(ClearTimer{t.name, t.participant});
            }
            return result;
        }
        case Verb::set_publication_date: {
            const bool any_ready =
                std::any_of(c.vendors.begin(), c.vendors.end(), [](const auto& v) {
                    return v.state == VendorState::fixing || v.state == VendorState::date_agreed;
                });
            if ((c.state != CaseState::fixing && c.state != CaseState::date_agreed) || !any_ready)
                return refuse(c, name, "every affected vendor must be fixing first");
            if (*cmd.when <= ctx.now)
                return refuse(c, name, "the date " + date_text(*cmd.when) + " is in the past");
            for (const auto& v : c.vendors)
                if (v.state == VendorState::fixing)
                    change.set(ctx, v.participant, VendorState::date_agreed);
            ctx.out.commands.push_back(SetPublicationDate{cmd.when});
            ctx.clear_timers("publication_target");
            ctx.clear_timers("publication");
            ctx.set_timer("publication", std::nullopt, *cmd.when);
            ctx.audit("publication_date", core::format_iso8601(*cmd.when));
            const std::vector<std::pair<std::string, std::string>> vars{
                {"publication_date", date_text(*cmd.when)}};
            ctx.send("publication_date_confirmation", Role::discoverer, std::nullopt, vars);
            for (const auto& v : change.vendors)
                if (v.state == VendorState::date_agreed)
                    ctx.send("publication_date_confirmation", Role::vendor, v.participant, vars);
            ctx.out.state = CaseState::date_agreed;
            return std::move(ctx.out);
        }
        case Verb::publish:
            if (c.state != CaseState::date_agreed)
                return refuse(c, name, "agree a publication date first");
            return on_timer(std::move(ctx), TimerFired{"publication", std::nullopt});
        case Verb::close:
            if (c.state != CaseState::published) return refuse(c, name);
            ctx.out.state = CaseState::closed;
            ctx.audit("closed", "after publication");
            return std::move(ctx.out);
        case Verb::unreachable:
            if (vstate != VendorState::contacted && vstate != VendorState::details_sent)
                return refuse(c, name,
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            return on_timer(std::move(ctx), TimerFired{"vendor_unreachable", vendor->participant});
        case Verb::no_agreement:
            if (progress(vstate) < 1 || progress(vstate) > 5)
                return refuse(c, name,
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            change.set(ctx, vendor->participant, VendorState::no_agreement);
            ctx.audit("no_agreement", vendor_label(vendor->participant));
            // The committee hears the vendor before it decides.
            ctx.send("vendor_opinion_invitation", Role::vendor, vendor->participant);
            ctx.notify(
                "no agreement with " + vendor_label(vendor->participant) +
                "; the vendor's opinion was invited; refer to the committee with: committee refer");
            return finish(ctx);
        case Verb::committee_refer:
            if (c.state != CaseState::unreachable && c.state != CaseState::no_agreement)
                return refuse(c, name,
                              "only unreachable or no-agreement cases go to the committee");
            ctx.out.state = CaseState::committee;
            ctx.audit("committee_referral", "referred to the committee");
            ctx.send("committee_referral", Role::discoverer);
            return std::move(ctx.out);
        case Verb::committee_publish:
        case Verb::committee_do_not_publish: {
            if (c.state != CaseState::committee)
                return refuse(c, name, "refer the case to the committee first");
            const bool publish = cmd.verb == Verb::committee_publish;
            ctx.audit("committee_decision", publish ? "publish" : "do not publish");
            const std::vector<std::pair<std::string, std::string>> vars{
                {"decision", publish ? "publish" : "do_not_publish"}};
            ctx.send("committee_decision", Role::discoverer, std::nullopt, vars);
            for (const auto& v : c.vendors)
                if (v.state != VendorState::pending && v.state != VendorState::not_affected)
                    ctx.send("committee_decision", Role::vendor, v.participant, vars);
            if (publish) return on_timer(std::move(ctx), TimerFired{"publication", std::nullopt});
            ctx.out.state = CaseState::do_not_publish;
            for (const auto& t : c.timers) ctx.clear_timer(t.name, t.participant);
            return std::move(ctx.out);
        }
        case Verb::cancel_publication:
            if (vstate != VendorState::fixing && vstate != VendorState::date_agreed)
                return refuse(c, name,
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            change.set(ctx, vendor->participant, VendorState::publication_cancelled);
            ctx.audit("publication_cancelled",
                      vendor_label(vendor->participant) + " informed every user directly");
            ctx.send("publication_cancelled", Role::vendor, vendor->participant);
            ctx.send("publication_cancelled", Role::discoverer);
            {
                auto result = finish(ctx);
                if (result && result->state == CaseState::publication_cancelled) {
                    result->commands.push_back(SetPublicationDate{std::nullopt});
                    for (const auto& t : c.timers)
                        result->commands.push_back(ClearTimer{t.name, t.participant});
                }
                return result;
            }
        case Verb::allow_pre_notice:
            if (vstate != VendorState::fixing && vstate != VendorState::date_agreed)
                return refuse(c, name,
                              vendor_label(vendor->participant) + " is " +
                                  std::string(domain::to_string(vstate)));
            ctx.audit("pre_notice_allowed", vendor_label(vendor->participant) +
                                                " may notify its users before publication");
            ctx.out.commands.push_back(AllowPreNotice{vendor->participant});
            ctx.send("pre_notice_allowed", Role::vendor, vendor->participant);
            return std::move(ctx.out);
        case Verb::relay:
            if (!*cmd.flag) {
                ctx.out.commands.push_back(SetDirectContact{vendor->participant, false});
                ctx.audit("relay_off", vendor_label(vendor->participant));
                return std::move(ctx.out);
            }
            [[fallthrough]];
        case Verb::direct_contact:
            if (!open_path) return refuse(c, name);
            ctx.out.commands.push_back(SetDirectContact{vendor->participant});
            ctx.audit("direct_contact",
                      "discoverer and " + vendor_label(vendor->participant) + " both agreed");
            ctx.send("direct_contact_enabled", Role::discoverer);
            ctx.send("direct_contact_enabled", Role::vendor, vendor->participant);
            return std::move(ctx.out);
        case Verb::lift_nondisclosure:
            return on_lift_request(std::move(ctx), true);
        default:
            return refuse(c, name, "not a product-track command");
    }
}

}  // namespace cvd::workflow::detail
