#include "durable/api/errors.h"

namespace durable::api {

AwsError ToAwsError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return {200, ""};
    case StatusCode::kInvalidArgument:
    case StatusCode::kInvalidToken:
    case StatusCode::kFailedPrecondition:
      return {400, "InvalidParameterValueException"};
    case StatusCode::kNotFound:
      return {404, "ResourceNotFoundException"};
    case StatusCode::kAlreadyExists:
      return {409, "DurableExecutionAlreadyStartedException"};
    case StatusCode::kCallbackClosed:
      return {400, "CallbackTimeoutException"};
    case StatusCode::kPayloadTooLarge:
      return {413, "RequestEntityTooLargeException"};
    case StatusCode::kUnavailable:
      return {429, "TooManyRequestsException"};
    case StatusCode::kInternal:
      return {500, "ServiceException"};
  }
  return {500, "ServiceException"};
}

void WriteError(http::Response& response, int http_status, std::string_view type,
                std::string_view message) {
  http::WriteAwsError(response, http_status, type, message);
}

void WriteError(http::Response& response, const Status& status) {
  AwsError e = ToAwsError(status);
  WriteError(response, e.http_status, e.type, status.message());
}

}  // namespace durable::api
