// Maps Status values to AWS error responses: HTTP status, `X-Amzn-ErrorType` header and the
// JSON body `{"Type", "message", "Message"}` (protocol.md §2.1). Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "durable/base/status.h"
#include "durable/http/http.h"

namespace durable::api {

struct AwsError {
  int http_status = 500;
  std::string type;  // e.g. "InvalidParameterValueException"
};

// The AWS exception a Status becomes on the durable APIs.
AwsError ToAwsError(const Status& status);

// Writes an AWS-shaped error response.
void WriteError(http::Response& response, int http_status, std::string_view type,
                std::string_view message);
void WriteError(http::Response& response, const Status& status);

}  // namespace durable::api
