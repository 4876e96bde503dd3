// The approvals tables (`approval_*`, docs/approvals.md "Tables") in the server's SQLite file, on
// the approvals' own connection with their own numbered schema (table `approval_schema_version`),
// so the engine's store and this one never share a transaction. The audit log and the decisions
// are append-only, enforced by triggers. All access goes through Write (BEGIN IMMEDIATE ...
// COMMIT) or Read (a snapshot); a StoreTx is only valid inside its callback.
// Thread-safe: one connection guarded by a mutex; other processes wait up to busy_timeout_ms.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "durable/approvals/spec.h"
#include "durable/base/result.h"

struct sqlite3;

namespace durable::approvals {

struct ApprovalRecord {
  std::string id;
  std::string request_key;
  std::string execution_arn;  // empty until known
  std::string callback_id;    // the callback the workflow waits on now; empty if none
  ApprovalSpec spec;
  std::string requester;
  ApprovalStatus status = ApprovalStatus::kPending;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> decided_at_ms;
  std::vector<std::string> approvers;         // everyone who may decide, request approvers first
  std::vector<std::string> escalation_added;  // the subset added by escalation
};

struct AuditEntry {
  int64_t seq = 0;
  std::string approval_id;
  int64_t at_ms = 0;
  std::string kind;
  std::string actor;
  Json detail = Json::object();
};

struct LinkRecord {
  std::string jti;
  std::string approval_id;
  std::string approver;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> used_at_ms;
};

// Newest first: (created_at_ms, id) descending.
struct ListFilter {
  std::optional<ApprovalStatus> status;
  std::optional<std::string> approver;  // may decide it or did
  std::optional<std::string> requester;
  std::optional<std::string> visible_to;  // requester, approver or decider is this user
  bool without_execution = false;         // only rows whose execution_arn is still empty
  int limit = 50;
  std::optional<int64_t> before_created_at_ms;  // cursor: strictly older than (at, id)
  std::string before_id;
};

// The answer of StoreTx::ClaimDelivery.
enum class DeliveryClaim {
  kClaimed,  // the caller now owns the key and must deliver, then RecordDelivery
  kSent,     // delivered before: nothing to do
  kBusy,     // another caller claimed it and its claim has not expired
};

// Operations inside one transaction. Errors: kUnavailable when the database stays locked,
// kInternal otherwise (including a trigger refusing an UPDATE/DELETE).
class StoreTx {
 public:
  Result<std::optional<ApprovalRecord>> Find(const std::string& id);
  Result<std::optional<std::string>> FindIdByRequestKey(const std::string& request_key);
  // Inserts the row and its request approvers (added_by 'request').
  Status Insert(const ApprovalRecord& record);
  // Adds one approver if absent; true if it was added.
  Result<bool> AddApprover(const std::string& id, const std::string& user_id,
                           const std::string& added_by);
  Status SetExecutionArn(const std::string& id, const std::string& arn);
  Status SetCallback(const std::string& id, const std::string& callback_id);
  // Moves a pending approval to `status` (UPDATE ... WHERE status='pending'); false if it was not
  // pending any more.
  Result<bool> Close(const std::string& id, ApprovalStatus status, int64_t at_ms);

  // False (and nothing written) if this approver already decided.
  Result<bool> InsertDecision(const std::string& id, const Decision& decision);
  Result<std::vector<Decision>> Decisions(const std::string& id);

  Status Audit(const std::string& id, int64_t at_ms, const std::string& kind,
               const std::string& actor, const Json& detail = Json::object());
  // True if the log has an entry of `kind` (whose detail[field] == value, when field is set).
  Result<bool> HasAudit(const std::string& id, const std::string& kind,
                        const std::string& field = "", const Json& value = nullptr);
  Result<std::vector<AuditEntry>> AuditLog(const std::string& id);

  Result<std::vector<ApprovalRecord>> List(const ListFilter& filter);

  // Delivery bookkeeping: the status ("sending" | "sent" | "failed") of a delivery key, if
  // attempted or claimed.
  Result<std::optional<std::string>> DeliveryStatus(const std::string& key);
  // Claims a delivery key before delivering it: kSent if it was delivered, kBusy if another
  // caller's claim lasts past now_ms, else marks it 'sending' by `owner` until claim_until_ms (a
  // claim left by a crash expires then) and returns kClaimed.
  Result<DeliveryClaim> ClaimDelivery(const std::string& key, const std::string& approval_id,
                                      const std::string& kind, const std::string& recipient,
                                      const std::string& channel, const std::string& owner,
                                      int64_t now_ms, int64_t claim_until_ms);
  // Ends every claim whose owner is not `owner` (claims left by a process that died); returns
  // how many.
  Result<int64_t> ReleaseClaimsNotOwnedBy(const std::string& owner);
  // Records one attempt (approval_delivery_attempts) and the key's new status and count, and
  // ends the key's claim.
  Status RecordDelivery(const std::string& key, const std::string& approval_id,
                        const std::string& kind, const std::string& recipient,
                        const std::string& channel, bool ok, const std::string& error,
                        int64_t at_ms);
  Result<int64_t> DeliveryAttempts(const std::string& key);

  Status InsertLink(const LinkRecord& link);
  Result<std::optional<LinkRecord>> FindLink(const std::string& jti);
  // Marks the link used; false if it already was.
  Result<bool> UseLink(const std::string& jti, int64_t at_ms);

  Result<std::optional<std::string>> Setting(const std::string& key);
  // Inserts unless the key exists (the first writer wins); returns the stored value.
  Result<std::string> PutSettingIfAbsent(const std::string& key, const std::string& value);

  // Runs raw SQL (tests: proving the triggers refuse UPDATE/DELETE).
  Status ExecForTest(const std::string& sql);

 private:
  friend class Store;
  explicit StoreTx(sqlite3* db) : db_(db) {}
  Result<std::vector<std::string>> ApproversWhere(const std::string& id, const char* added_by);
  sqlite3* db_;
};

struct StoreOptions {
  int busy_timeout_ms = 5000;
  bool synchronous_full = true;  // false: synchronous=NORMAL (tests, benchmarks)
};

class Store {
 public:
  // Opens or creates `path` (":memory:" for a private in-memory database) and applies the
  // approvals schema files not applied yet.
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `fn` in one write transaction; rolls back when it returns an error.
  Status Write(const std::function<Status(StoreTx&)>& fn);
  // Runs `fn` in one read transaction (a consistent snapshot).
  Status Read(const std::function<Status(StoreTx&)>& fn);

  int64_t schema_version() const { return schema_version_; }

 private:
  explicit Store(sqlite3* db) : db_(db) {}
  Status Migrate();
  std::mutex mu_;
  sqlite3* db_;
  int64_t schema_version_ = 0;
};

}  // namespace durable::approvals
