#pragma once
// Time is always injected (a Clock), so tests can jump 45 days ahead.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cvd::core {

using Timestamp = std::chrono::sys_seconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    Timestamp now() const override;
};

// A clock a test sets by hand.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start) : now_(start) {}
    Timestamp now() const override { return now_; }
    void advance(std::chrono::seconds by) { now_ += by; }
    void set(Timestamp to) { now_ = to; }

private:
    Timestamp now_;
};

// "2026-11-25T23:25:45Z"
std::string format_iso8601(Timestamp t);
std::optional<Timestamp> parse_iso8601(std::string_view text);

// RFC 5322 date in UTC, e.g. "Wed, 25 Nov 2026 23:25:45 +0000".
std::string format_rfc5322(Timestamp t);

// Calendar year in UTC (case ids are numbered per year).
int year_of(Timestamp t);

std::int64_t to_unix(Timestamp t);
Timestamp from_unix(std::int64_t seconds);

}  // namespace cvd::core
