// AWS Signature Version 4 (header form, AWS4-HMAC-SHA256) for the SDK's calls to the Lambda API:
// canonical request, string to sign, signing key and Authorization header, per the AWS
// documentation. Pure functions over their arguments (no clock, no environment): thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace durable::sdk::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty = long-term credentials (no X-Amz-Security-Token)
};

struct Scope {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // e.g. "lambda"
};

// A request as it goes on the wire: `path_and_query` exactly as sent (already percent-encoded,
// e.g. an ARN segment as "arn%3Aaws%3A..."), every header that will be sent and signed (Host
// included), and the body.
struct Request {
  std::string method;
  std::string path_and_query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lowercase hex
  std::string authorization;   // the Authorization header value
};

// Lowercase hex SHA-256 of `data`; raw (binary) HMAC-SHA256 of `data` under `key`.
std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);

// Canonical URI of a wire path for every service but S3: dot and empty segments removed, then
// the (already encoded) path encoded once more, so "%3A" on the wire signs as "%253A" — what the
// AWS SDKs do for REST-JSON services such as Lambda.
std::string CanonicalUri(std::string_view wire_path);

// Canonical query string of a wire query ("b=2&a=1"): each name and value decoded, re-encoded
// with PercentEncode (durable/base/ids.h, SigV4's UriEncode), pairs sorted by name then value,
// joined with '&'.
std::string CanonicalQuery(std::string_view wire_query);

// Signs `request`, which must carry an X-Amz-Date header ("20150830T123600Z") and a Host header
// (and X-Amz-Security-Token when the credentials have a session token). All its headers are
// signed.
Signature Sign(const Request& request, const Credentials& credentials, const Scope& scope);

// "YYYYMMDDTHHMMSSZ" (UTC) for milliseconds since the Unix epoch.
std::string AmzDate(int64_t epoch_ms);

}  // namespace durable::sdk::sigv4
