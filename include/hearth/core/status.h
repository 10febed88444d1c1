// Status and Result: the error type of every fallible call on Hearth's request paths.
//
// Exceptions stay out of network handlers, ingest and rules; those paths return a Status (or a
// Result<T> carrying either a value or a Status) with a code a caller can branch on and a message
// a person can read. Both types are plain values: copyable, movable, no hidden allocation when ok.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hearth::core {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong and retrying it unchanged will fail again
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,    // authenticated, but not allowed
  kUnauthenticated,     // credentials missing or wrong
  kResourceExhausted,   // a quota or queue limit was reached
  kFailedPrecondition,  // the system is not in a state where this can run
  kUnavailable,         // transient: try again later
  kDeadlineExceeded,
  kCorruption,          // stored data failed a check
  kIoError,
  kInternal,            // a bug: an invariant did not hold
};

std::string_view statusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status notFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status alreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status permissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status resourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status failedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status ioError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool isOk() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NotFound: no such device" — for logs and HTTP error bodies.
  std::string toString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or an error E. std::expected would do, but it needs C++23 and the fuzz targets are
// built by clang 14, so this is the small subset Hearth uses.
template <class T, class E = Status>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool isOk() const { return v_.index() == 0; }
  explicit operator bool() const { return isOk(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const& { return std::get<1>(v_); }
  E&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, E> v_;
};

}  // namespace hearth::core

// Propagates a failed Status out of the calling function.
#define HEARTH_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::hearth::core::Status hearth_status_ = (expr); \
    if (!hearth_status_.isOk()) return hearth_status_; \
  } while (0)
