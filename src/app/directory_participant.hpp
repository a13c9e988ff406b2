#pragma once
// A vendor from the directory joining a case, the same way from the CLI and from a
// coordinator's `contact vendor NAME`.

#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/store/store.hpp"
#include "cvdbot/store/vendor_directory.hpp"

namespace cvd::app {

// `base` with what the directory knows filled in where `base` leaves it empty: the first `to`
// contact as the address (every other contact gets a copy), the name, the first language.
domain::Participant vendor_participant(const store::Vendor& vendor, domain::Participant base);

// The directory's key fingerprints are registered keys (an administrator put them there)
// for each of the participant's addresses.
core::Status register_directory_keys(store::Store& store, const store::Vendor& vendor,
                                     const domain::Participant& participant, core::Timestamp now);

}  // namespace cvd::app
