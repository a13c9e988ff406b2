#include "directory_participant.hpp"

#include <algorithm>

namespace cvd::app {

domain::Participant vendor_participant(const store::Vendor& vendor, domain::Participant base) {
    base.role = domain::Role::vendor;
    base.vendor_row_id = vendor.row_id;
    if (base.organisation.empty()) base.organisation = vendor.name;
    if (base.language.empty() && !vendor.languages.empty()) base.language = vendor.languages.front();
    for (const auto& contact : vendor.contacts) {
        if (base.address.empty() && contact.kind == store::ContactKind::to)
            base.address = contact.address;
        else if (contact.address != base.address &&
                 std::find(base.other_addresses.begin(), base.other_addresses.end(), contact.address) ==
                     base.other_addresses.end())
            base.other_addresses.push_back(contact.address);
    }
    return base;
}

core::Status register_directory_keys(store::Store& store, const store::Vendor& vendor,
                                     const domain::Participant& participant, core::Timestamp now) {
    auto addresses = participant.other_addresses;
    addresses.push_back(participant.address);
    for (const auto& fingerprint : vendor.key_fingerprints)
        for (const auto& address : addresses)
            if (auto s = store.bind_key({address, fingerprint, "registered", now, std::nullopt}); !s) return s;
    return {};
}

}  // namespace cvd::app
