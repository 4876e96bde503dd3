// Identity and the approvals config file (identity.h). Tokens are compared by their SHA-256, so
// the config never holds a usable secret; the hash lookup is a map of hashes, and the final
// comparison is constant-time.
#include "durable/approvals/identity.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "durable/sdk/sigv4.h"

namespace durable::approvals {
namespace {

bool IsHex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<std::string> StringField(const Json& o, const char* key, const std::string& path,
                                bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) return InvalidArgument(path + "." + key + " is required");
    return std::string();
  }
  if (!it->is_string()) return InvalidArgument(path + "." + key + " must be a string");
  return it->get<std::string>();
}

}  // namespace

bool User::Has(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string HashToken(std::string_view token) { return sdk::sigv4::Sha256Hex(token); }

Result<ApprovalsConfig> ParseApprovalsConfig(const Json& json) {
  if (!json.is_object()) return InvalidArgument("approvals config must be a JSON object");
  ApprovalsConfig config;
  auto url = StringField(json, "public_url", "config", false);
  if (!url.ok()) return url.status();
  config.public_url = *url;
  while (!config.public_url.empty() && config.public_url.back() == '/')
    config.public_url.pop_back();
  if (auto it = json.find("link_ttl_seconds"); it != json.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
      return InvalidArgument("config.link_ttl_seconds must be a positive integer");
    }
    config.link_ttl_seconds = it->get<int64_t>();
  }
  static const std::set<std::string> kRoles = {kRoleApprover, kRoleRequester, kRoleAdmin,
                                               kRoleService};
  std::set<std::string> ids;
  if (auto it = json.find("users"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return InvalidArgument("config.users must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& u = (*it)[i];
      std::string path = "config.users[" + std::to_string(i) + "]";
      if (!u.is_object()) return InvalidArgument(path + " must be an object");
      User user;
      auto id = StringField(u, "id", path, true);
      if (!id.ok()) return id.status();
      if (id->empty()) return InvalidArgument(path + ".id must not be empty");
      user.id = *id;
      auto name = StringField(u, "name", path, false);
      if (!name.ok()) return name.status();
      user.name = name->empty() ? user.id : *name;
      auto email = StringField(u, "email", path, false);
      if (!email.ok()) return email.status();
      user.email = *email;
      auto hash = StringField(u, "token_sha256", path, false);
      if (!hash.ok()) return hash.status();
      std::string h = *hash;
      std::transform(h.begin(), h.end(), h.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (!h.empty() && !IsHex64(h)) {
        return InvalidArgument(path + ".token_sha256 must be 64 hex digits (SHA-256 of the token)");
      }
      user.token_sha256 = h;
      if (auto r = u.find("roles"); r != u.end() && !r->is_null()) {
        if (!r->is_array()) return InvalidArgument(path + ".roles must be an array");
        for (const Json& role : *r) {
          if (!role.is_string() || !kRoles.count(role.get<std::string>())) {
            return InvalidArgument(path +
                                   ".roles: each role must be one of approver, requester, "
                                   "admin, service");
          }
          user.roles.push_back(role.get<std::string>());
        }
      }
      if (!ids.insert(user.id).second) {
        return InvalidArgument(path + ".id repeats \"" + user.id + "\"");
      }
      config.users.push_back(std::move(user));
    }
  }
  if (auto it = json.find("notifiers"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) return InvalidArgument("config.notifiers must be an array");
    for (const Json& n : *it) {
      if (!n.is_object()) return InvalidArgument("config.notifiers: each entry must be an object");
      config.notifiers.push_back(n);
    }
  } else {
    config.notifiers.push_back(Json{{"type", "log"}});
  }
  return config;
}

Result<ApprovalsConfig> LoadApprovalsConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read approvals config " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  Json json = Json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded())
    return InvalidArgument("approvals config " + path + " is not valid JSON");
  auto config = ParseApprovalsConfig(json);
  if (!config.ok()) return InvalidArgument(path + ": " + config.status().message());
  return config;
}

Identity::Identity(std::vector<User> users) : users_(std::move(users)) {
  for (size_t i = 0; i < users_.size(); ++i) {
    by_id_[users_[i].id] = i;
    if (!users_[i].token_sha256.empty()) by_hash_[users_[i].token_sha256] = i;
  }
}

Result<User> Identity::Authenticate(const std::optional<std::string>& authorization) const {
  if (!authorization || authorization->empty()) {
    return InvalidToken("Missing Authorization: Bearer <token> header.");
  }
  const std::string& h = *authorization;
  constexpr std::string_view kBearer = "Bearer ";
  if (h.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), h.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return InvalidToken("Authorization header must be 'Bearer <token>'.");
  }
  std::string token = h.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.erase(token.begin());
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r')) token.pop_back();
  if (token.empty()) return InvalidToken("Authorization header must be 'Bearer <token>'.");
  std::string hash = HashToken(token);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return InvalidToken("The token is not valid.");
  const User& user = users_[it->second];
  if (CRYPTO_memcmp(user.token_sha256.data(), hash.data(), hash.size()) != 0) {
    return InvalidToken("The token is not valid.");
  }
  return user;
}

const User* Identity::Find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &users_[it->second];
}

}  // namespace durable::approvals
