// Timers fire as events through step(): reminders, the 45-day target, the agreed
// publication, the web fix target, the one-year lift right, and the unreachable listings.
#include <algorithm>

#include "cvdbot/workflow/calendar.hpp"
#include "step_internal.hpp"

namespace cvd::workflow::detail {

using domain::CaseState;
using domain::Role;
using domain::VendorState;

namespace {

constexpr std::string_view kVendorReminder = "vendor_reminder_";
constexpr std::string_view kOperatorReminder = "operator_reminder_";

// "vendor_reminder_2" -> 2; 0 when the suffix is not a small number.
int index_after(const std::string& name, std::string_view prefix) {
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 2 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return 0;
    return std::stoi(digits);
}

core::Error stale(const CaseSnapshot& c, const TimerFired& t, const std::string& why) {
    return refuse(c, "timer " + t.name, why);
}

void set_vendor(Ctx& ctx, std::vector<VendorSnapshot>& vendors, std::int64_t p, VendorState s) {
    for (auto& v : vendors)
        if (v.participant == p) v.state = s;
    ctx.out.commands.push_back(SetVendorStatus{p, s});
}

core::Result<StepOutcome> vendor_timer(Ctx ctx, const TimerFired& t) {
    const auto& c = ctx.c;
    if (!t.participant) return stale(c, t, "a vendor timer needs the vendor");
    const VendorSnapshot* v = find_vendor(c, *t.participant);
    if (!v) return stale(c, t, "vendor #" + std::to_string(*t.participant) + " is not on the case");
    if (!domain::is_open(c.state)) return stale(c, t, "the case is closed");
    auto vendors = c.vendors;
    const auto& days = ctx.rules.timers.vendor_reminder_days;
    const auto p = v->participant;

    if (t.name.rfind(kVendorReminder, 0) == 0) {
        const int k = index_after(t.name, kVendorReminder);
        if (k < 1 || k > static_cast<int>(days.size()))
            return stale(c, t, "no such reminder in the rules");
        if (v->replied ||
            (v->state != VendorState::contacted && v->state != VendorState::details_sent))
            return stale(c, t, "the vendor has answered");
        const bool last = k == static_cast<int>(days.size());
        ctx.send(k == 1 && !last ? "reminder_first"
                 : last          ? "reminder_final"
                                 : "reminder_second",
                 Role::vendor, p);
        ctx.audit("vendor_reminder",
                  "reminder " + std::to_string(k) + " to vendor #" + std::to_string(p));
        if (last)
            ctx.set_timer("vendor_unreachable", p,
                          add_days(ctx.now, ctx.rules.timers.vendor_unreachable_after_days));
        else
            ctx.set_timer(std::string(kVendorReminder) + std::to_string(k + 1), p,
                          add_days(ctx.now, days[static_cast<std::size_t>(k)] -
                                                days[static_cast<std::size_t>(k - 1)]));
        return std::move(ctx.out);
    }
    if (t.name == "vendor_unreachable") {
        if (v->state != VendorState::contacted && v->state != VendorState::details_sent)
            return stale(c, t, "the vendor is " + std::string(domain::to_string(v->state)));
        set_vendor(ctx, vendors, p, VendorState::unreachable);
        ctx.clear_timers(std::string(kVendorReminder), p);
        ctx.audit("vendor_unreachable", "vendor #" + std::to_string(p));
        ctx.send("unreachable_notice", Role::discoverer);
        // The name listing comes at the start of the next quarter (the published list's rhythm).
        ctx.set_timer("name_listing", p, next_quarter_start(ctx.now));
        ctx.notify("vendor #" + std::to_string(p) + " is unreachable; its name will be listed on " +
                   date_text(next_quarter_start(ctx.now)));
        ctx.out.state = derive_product_state(c, vendors);
        return std::move(ctx.out);
    }
    if (t.name == "name_listing") {
        if (v->state != VendorState::unreachable)
            return stale(c, t, "the vendor is no longer unreachable");
        set_vendor(ctx, vendors, p, VendorState::name_listed);
        ctx.audit("name_listed", "vendor #" + std::to_string(p));
        ctx.notify("list the name of unreachable vendor #" + std::to_string(p) + " now");
        ctx.set_timer("product_listing", p,
                      add_months(ctx.now, ctx.rules.timers.product_listing_months));
        return std::move(ctx.out);
    }
    if (t.name == "product_listing") {
        if (v->state != VendorState::name_listed)
            return stale(c, t, "the vendor's name is not listed");
        set_vendor(ctx, vendors, p, VendorState::product_listed);
        ctx.audit("product_listed", "vendor #" + std::to_string(p));
        ctx.notify("list the product and version of unreachable vendor #" + std::to_string(p) +
                   "; the committee may now decide on publication (committee refer)");
        return std::move(ctx.out);
    }
    return stale(c, t, "unknown timer");
}

core::Result<StepOutcome> publish(Ctx ctx) {
    const auto& c = ctx.c;
    ctx.out.state = CaseState::published;
    ctx.audit("published", "advisory published");
    ctx.send("publication_notice", Role::discoverer);
    for (const auto& v : c.vendors) {
        if (v.state == VendorState::pending || v.state == VendorState::not_affected ||
            v.state == VendorState::publication_cancelled)
            continue;
        if (v.state == VendorState::date_agreed)
            ctx.out.commands.push_back(SetVendorStatus{v.participant, VendorState::published});
        ctx.send("publication_notice", Role::vendor, v.participant);
    }
    for (const auto& t : c.timers)
        if (t.name != "nondisclosure_lift") ctx.clear_timer(t.name, t.participant);
    return std::move(ctx.out);
}

core::Result<StepOutcome> operator_timer(Ctx ctx, const TimerFired& t) {
    const auto& c = ctx.c;
    if (t.name.rfind(kOperatorReminder, 0) == 0) {
        if (c.state != CaseState::operator_contacted)
            return stale(c, t, "the operator has answered");
        const int k = index_after(t.name, kOperatorReminder);
        if (k < 1) return stale(c, t, "malformed timer name");
        const auto bdays = ctx.rules.timers.operator_first_reply_business_days;
        if (k <= ctx.rules.timers.operator_reminders) {
            ctx.send("operator_reminder", Role::site_operator);
            ctx.audit("operator_reminder", "reminder " + std::to_string(k));
            ctx.set_timer(std::string(kOperatorReminder) + std::to_string(k + 1), std::nullopt,
                          add_business_days(ctx.now, bdays, ctx.rules.holidays));
            return std::move(ctx.out);
        }
        ctx.out.state = CaseState::operator_unreachable;
        ctx.audit("operator_unreachable", "no reply after " + std::to_string(k - 1) + " reminders");
        ctx.send("unreachable_notice", Role::discoverer);
        ctx.notify(
            "the site operator does not answer; try other contacts, or close (closed_unreachable)");
        return std::move(ctx.out);
    }
    if (t.name == "web_fix_target") {
        if (c.state != CaseState::web_details_sent && c.state != CaseState::web_fixing)
            return stale(c, t, "no fix is pending");
        ctx.send("web_fix_reminder", Role::site_operator);
        ctx.audit("web_fix_target", "fix target passed");
        ctx.notify("the web fix target has passed without a fix report");
        return std::move(ctx.out);
    }
    return stale(c, t, "unknown timer");
}

}  // namespace

core::Result<StepOutcome> on_timer(Ctx ctx, const TimerFired& t) {
    const auto& c = ctx.c;
    if (t.name.rfind(kVendorReminder, 0) == 0 || t.name == "vendor_unreachable" ||
        t.name == "name_listing" || t.name == "product_listing")
        return vendor_timer(std::move(ctx), t);
    if (t.name.rfind(kOperatorReminder, 0) == 0 || t.name == "web_fix_target")
        return operator_timer(std::move(ctx), t);
    if (t.name == "publication") {
        if (c.state != CaseState::date_agreed && c.state != CaseState::committee)
            return stale(c, t, "no publication is due");
        return publish(std::move(ctx));
    }
    if (t.name == "publication_target") {
        if (!domain::is_open(c.state) || c.state == CaseState::date_agreed ||
            c.state == CaseState::published)
            return stale(c, t, "a date is already agreed");
        // Remind both sides and ask for a date; the coordinator decides what comes next.
        ctx.send("publication_target_notice", Role::discoverer);
        for (const auto& v : c.vendors)
            if (v.state == VendorState::contacted || v.state == VendorState::details_sent ||
                v.state == VendorState::verifying || v.state == VendorState::fixing)
                ctx.send("publication_target_notice", Role::vendor, v.participant);
        ctx.audit("publication_target", "target date reached without an agreed publication date");
        ctx.notify(
            "the publication target has passed; agree a date: set publication-date YYYY-MM-DD");
        return std::move(ctx.out);
    }
    if (t.name == "nondisclosure_lift") {
        if (!domain::is_open(c.state)) return stale(c, t, "the case is closed");
        ctx.audit("nondisclosure_lift_right", "the discoverer may now ask to lift non-disclosure");
        ctx.notify(
            "one year since the start date: the discoverer may now ask to lift non-disclosure");
        return std::move(ctx.out);
    }
    return stale(c, t, "unknown timer \"" + t.name.substr(0, 60) + "\"");
}

// Reminders to addresses that refuse mail would only bounce: the vendor is treated as one
// that has not answered its last reminder, and becomes unreachable after the usual wait
// unless it answers first (a reply clears the timer like any other).
core::Result<StepOutcome> on_delivery_refused(Ctx ctx, const DeliveryRefused& refused) {
    const auto& c = ctx.c;
    const auto what = "delivery refusal for vendor #" + std::to_string(refused.participant);
    if (!ctx.rules.outbox.permanent_failure_counts_as_unanswered)
        return refuse(
            c, what,
            "the rules do not count refusals (outbox.permanent_failure_counts_as_unanswered)");
    const VendorSnapshot* v = find_vendor(c, refused.participant);
    if (!v) return refuse(c, what, "the participant is not a vendor of the case");
    if (!domain::is_open(c.state)) return refuse(c, what, "the case is closed");
    if (v->replied || (v->state != VendorState::contacted && v->state != VendorState::details_sent))
        return refuse(c, what,
                      "the vendor is " + std::string(domain::to_string(v->state)) +
                          (v->replied ? " and has answered" : ""));
    const auto p = v->participant;
    const auto due = add_days(ctx.now, ctx.rules.timers.vendor_unreachable_after_days);
    for (const auto& t : c.timers)
        if (t.name == "vendor_unreachable" && t.participant == p && t.due <= due)
            return refuse(c, what,
                          "the vendor counts as unreachable already on " + date_text(t.due));
    ctx.clear_timers(std::string(kVendorReminder), p);
    ctx.set_timer("vendor_unreachable", p, due);
    ctx.audit("vendor_refused",
              "every contact address of vendor #" + std::to_string(p) +
                  " refused mail permanently; reminders skipped, unreachable on " + date_text(due));
    ctx.notify(
        "every contact address of vendor #" + std::to_string(p) +
        " refuses mail: no reminders will be sent, and the vendor counts as unreachable on " +
        date_text(due) + " unless it answers or you find another contact");
    return std::move(ctx.out);
}

}  // namespace cvd::workflow::detail
