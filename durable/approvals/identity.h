// Who is calling: the approvals config file (docs/approvals.md "Config file") with its users,
// roles and API tokens stored only as SHA-256 hex, and the Bearer-token check of the HTTP API.
// Config and Identity are immutable after construction: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "durable/approvals/spec.h"
#include "durable/base/result.h"

namespace durable::approvals {

inline constexpr char kRoleApprover[] = "approver";
inline constexpr char kRoleRequester[] = "requester";
inline constexpr char kRoleAdmin[] = "admin";
inline constexpr char kRoleService[] = "service";

struct User {
  std::string id;
  std::string name;
  std::string email;
  std::vector<std::string> roles;
  std::string token_sha256;  // lowercase hex; empty = cannot log in
  bool Has(std::string_view role) const;
};

struct ApprovalsConfig {
  std::string public_url;  // base of links in notifications; empty = the server's own address
  int64_t link_ttl_seconds = 86400;
  std::vector<User> users;
  std::vector<Json> notifiers;  // entries for MakeNotifier; default [{"type":"log"}]
};

// Parses and checks the config: unique user ids, known roles, 64-hex token hashes.
Result<ApprovalsConfig> ParseApprovalsConfig(const Json& json);
Result<ApprovalsConfig> LoadApprovalsConfig(const std::string& path);

// Lowercase hex SHA-256 of `token`: what the config stores (`durable approvals hash-token`).
std::string HashToken(std::string_view token);

class Identity {
 public:
  explicit Identity(std::vector<User> users = {});

  // The user a request's `Authorization: Bearer <token>` header names. InvalidToken (401) when
  // the header is missing, malformed or matches no user.
  Result<User> Authenticate(const std::optional<std::string>& authorization) const;
  const User* Find(const std::string& id) const;
  const std::vector<User>& users() const { return users_; }

 private:
  std::vector<User> users_;
  std::map<std::string, size_t> by_id_;
  std::map<std::string, size_t> by_hash_;
};

}  // namespace durable::approvals
