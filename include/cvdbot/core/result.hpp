#pragma once
// Expected failures (bad mail, network down, SQLITE_BUSY, ...) travel as values.
// Exceptions are reserved for programmer errors and start-up.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace cvd::core {

enum class ErrorKind {
    invalid_input,  // the outside world sent something we cannot use
    not_found,
    conflict,       // uniqueness or state conflict
    io,             // disk, database
    network,        // IMAP/SMTP transport, temporary by nature
    rejected,       // a peer refused permanently (e.g. SMTP 5xx)
    crypto,
    config,
    internal,
};

const char* to_string(ErrorKind kind);

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string message;  // written for a person: what failed and what to do

    static Error make(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }
};

std::string describe(const Error& error);

class BadResultAccess : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

// Result<T>: either a T or an Error. Reading the wrong alternative is a bug and throws.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : data_(std::move(error)) {}  // NOLINT

    bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }

    T& value() & { return checked_value(); }
    const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
    T&& value() && { return std::move(checked_value()); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(checked_value()); }

    const Error& error() const {
        if (ok()) throw BadResultAccess("Result::error() on a value");
        return std::get<Error>(data_);
    }

    template <typename U>
    T value_or(U&& fallback) const {
        return ok() ? std::get<T>(data_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    T& checked_value() {
        if (!ok()) throw BadResultAccess("Result::value() on an error: " + std::get<Error>(data_).message);
        return std::get<T>(data_);
    }
    std::variant<T, Error> data_;
};

struct Unit {};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Unit) {}  // NOLINT
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        if (!failed_) throw BadResultAccess("Result::error() on success");
        return error_;
    }

private:
    Error error_;
    bool failed_ = false;
};

using Status = Result<void>;

inline Error make_error(ErrorKind kind, std::string message) {
    return Error{kind, std::move(message)};
}

}  // namespace cvd::core
