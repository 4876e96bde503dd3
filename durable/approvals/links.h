// One-click action links for approvers: a token "<payload>.<signature>" where the payload
// (base64url JSON {"v":1,"jti","aid","sub","exp"}) names the approval, the approver it is bound
// to and its expiry, and the signature is HMAC-SHA256 under a secret generated once per database
// (approval_settings). Each token is also a row in approval_links, so it works once.
// Thread-safe (the store serializes; the secret is immutable after Open).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "durable/approvals/store.h"
#include "durable/base/clock.h"
#include "durable/base/result.h"

namespace durable::approvals {

struct LinkClaims {
  std::string jti;
  std::string approval_id;
  std::string approver;
  int64_t expires_at_ms = 0;
  bool used = false;
};

// Why a link cannot be used. kForged covers bad format, bad signature and unknown jti.
enum class LinkProblem { kNone, kForged, kExpired, kUsed };

struct LinkCheck {
  LinkProblem problem = LinkProblem::kNone;
  LinkClaims claims;  // set unless kForged
};

class Links {
 public:
  // Loads the signing secret from the store, creating it on first use.
  static Result<std::unique_ptr<Links>> Open(Store* store, const Clock* clock);

  // Issues and records a new link for `approver` on `approval_id`.
  Result<std::string> Issue(const std::string& approval_id, const std::string& approver,
                            int64_t expires_at_ms);
  // Checks a token without changing anything (the GET confirm page).
  Result<LinkCheck> Check(const std::string& token);
  // Marks the link used; false if someone used it first.
  Result<bool> MarkUsed(const std::string& jti);

 private:
  Links(Store* store, const Clock* clock, std::string secret)
      : store_(store), clock_(clock), secret_(std::move(secret)) {}
  std::string Sign(const std::string& payload) const;
  Store* store_;
  const Clock* clock_;
  std::string secret_;
};

}  // namespace durable::approvals
