// Status: the error value of the whole project (errors are values, house habit 3).
// A Status is an error code plus a message; OK carries nothing. Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace durable {

// Canonical codes. The api layer maps each one to an AWS error type (see durable/api/errors.h).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // InvalidParameterValueException (400)
  kInvalidToken,        // InvalidParameterValueException, message "Invalid Checkpoint Token..." (400)
  kNotFound,            // ResourceNotFoundException (404)
  kAlreadyExists,       // DurableExecutionAlreadyStartedException (409)
  kCallbackClosed,      // CallbackTimeoutException (400)
  kPayloadTooLarge,     // RequestEntityTooLargeException (413)
  kUnavailable,         // TooManyRequestsException (429): transient, retry
  kInternal,            // ServiceException (500)
  kFailedPrecondition,  // state does not allow the operation (mapped per call site)
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

  bool operator==(const Status& other) const {
    return code_ == other.code_ && message_ == other.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

std::string_view StatusCodeName(StatusCode code);

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status InvalidToken(std::string m) { return {StatusCode::kInvalidToken, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status CallbackClosed(std::string m) { return {StatusCode::kCallbackClosed, std::move(m)}; }
inline Status PayloadTooLarge(std::string m) { return {StatusCode::kPayloadTooLarge, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}

}  // namespace durable
