// Signed, expiring, single-use, approver-bound link tokens (links.h).
#include "durable/approvals/links.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "durable/base/ids.h"
#include "durable/base/macros.h"
#include "durable/sdk/sigv4.h"

namespace durable::approvals {
namespace {

constexpr char kSecretKey[] = "link_signing_secret";

std::string Base64UrlEncode(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  std::string s(text);
  for (char& c : s) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/' || c == '=')
      return false;
  }
  while (s.size() % 4 != 0) s.push_back('=');
  return Base64Decode(s, out);
}

Result<std::string> NewSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return Internal("RAND_bytes failed");
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace

Result<std::unique_ptr<Links>> Links::Open(Store* store, const Clock* clock) {
  DURABLE_ASSIGN_OR_RETURN(std::string fresh, NewSecret());
  std::string secret;
  DURABLE_RETURN_IF_ERROR(store->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(secret, tx.PutSettingIfAbsent(kSecretKey, fresh));
    return Status::Ok();
  }));
  return std::unique_ptr<Links>(new Links(store, clock, std::move(secret)));
}

std::string Links::Sign(const std::string& payload) const {
  return Base64UrlEncode(sdk::sigv4::HmacSha256(secret_, payload));
}

Result<std::string> Links::Issue(const std::string& approval_id, const std::string& approver,
                                 int64_t expires_at_ms) {
  LinkRecord link;
  link.jti = NewUuid();
  link.approval_id = approval_id;
  link.approver = approver;
  link.expires_at_ms = expires_at_ms;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) { return tx.InsertLink(link); }));
  Json claims = {
      {"v", 1}, {"jti", link.jti}, {"aid", approval_id}, {"sub", approver}, {"exp", expires_at_ms}};
  std::string payload = Base64UrlEncode(claims.dump());
  return payload + "." + Sign(payload);
}

Result<LinkCheck> Links::Check(const std::string& token) {
  LinkCheck check;
  check.problem = LinkProblem::kForged;
  size_t dot = token.find('.');
  if (dot == std::string::npos || token.find('.', dot + 1) != std::string::npos) return check;
  std::string payload = token.substr(0, dot);
  std::string signature = token.substr(dot + 1);
  std::string expected = Sign(payload);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return check;
  }
  std::string raw;
  if (!Base64UrlDecode(payload, &raw)) return check;
  Json claims = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object() || !claims.value("jti", Json()).is_string() ||
      !claims.value("aid", Json()).is_string() || !claims.value("sub", Json()).is_string() ||
      !claims.value("exp", Json()).is_number_integer()) {
    return check;
  }
  LinkClaims c;
  c.jti = claims["jti"].get<std::string>();
  c.approval_id = claims["aid"].get<std::string>();
  c.approver = claims["sub"].get<std::string>();
  c.expires_at_ms = claims["exp"].get<int64_t>();
  std::optional<LinkRecord> row;
  DURABLE_RETURN_IF_ERROR(store_->Read([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(row, tx.FindLink(c.jti));
    return Status::Ok();
  }));
  // The row must agree with the signed claims: a link is bound to its approver and approval.
  if (!row || row->approval_id != c.approval_id || row->approver != c.approver ||
      row->expires_at_ms != c.expires_at_ms) {
    return check;
  }
  c.used = row->used_at_ms.has_value();
  check.claims = c;
  if (c.used) {
    check.problem = LinkProblem::kUsed;
  } else if (clock_->NowMs() >= c.expires_at_ms) {
    check.problem = LinkProblem::kExpired;
  } else {
    check.problem = LinkProblem::kNone;
  }
  return check;
}

Result<bool> Links::MarkUsed(const std::string& jti) {
  bool marked = false;
  DURABLE_RETURN_IF_ERROR(store_->Write([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(marked, tx.UseLink(jti, clock_->NowMs()));
    return Status::Ok();
  }));
  return marked;
}

}  // namespace durable::approvals
