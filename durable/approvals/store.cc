// Store: the approvals tables over one SQLite connection (see store.h). The numbered schema is
// embedded below; version N is applied once, inside BEGIN IMMEDIATE, and recorded in
// approval_schema_version, so two processes opening the same fresh file apply it exactly once.
#include "durable/approvals/store.h"

#include <sqlite3.h>

#include <string_view>
#include <utility>

#include "durable/base/clock.h"
#include "durable/base/macros.h"

namespace durable::approvals {
namespace {

struct SchemaFile {
  int64_t version;
  const char* name;
  const char* sql;
};

// Append new versions at the end; never edit an applied one.
const SchemaFile kSchema[] = {
    {1, "0001_approvals", R"sql(
CREATE TABLE approval_requests (
  id            TEXT PRIMARY KEY,
  request_key   TEXT NOT NULL UNIQUE,
  execution_arn TEXT NOT NULL DEFAULT '',
  callback_id   TEXT NOT NULL DEFAULT '',
  spec          TEXT NOT NULL,
  requester     TEXT NOT NULL,
  status        TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  decided_at_ms INTEGER
);
CREATE INDEX approval_requests_newest ON approval_requests (created_at_ms DESC, id DESC);
CREATE INDEX approval_requests_requester ON approval_requests (requester, created_at_ms DESC);

CREATE TABLE approval_approvers (
  approval_id TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  added_by    TEXT NOT NULL CHECK (added_by IN ('request', 'escalation')),
  position    INTEGER NOT NULL,
  PRIMARY KEY (approval_id, user_id)
);
CREATE INDEX approval_approvers_user ON approval_approvers (user_id);

CREATE TABLE approval_decisions (
  approval_id TEXT NOT NULL,
  approver    TEXT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment     TEXT NOT NULL,
  via         TEXT NOT NULL,
  at_ms       INTEGER NOT NULL,
  PRIMARY KEY (approval_id, approver)
);
CREATE INDEX approval_decisions_approver ON approval_decisions (approver);
CREATE TRIGGER approval_decisions_no_update BEFORE UPDATE ON approval_decisions
BEGIN SELECT RAISE(ABORT, 'approval_decisions is append-only'); END;
CREATE TRIGGER approval_decisions_no_delete BEFORE DELETE ON approval_decisions
BEGIN SELECT RAISE(ABORT, 'approval_decisions is append-only'); END;

CREATE TABLE approval_audit (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  approval_id TEXT NOT NULL,
  at_ms       INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  actor       TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX approval_audit_approval ON approval_audit (approval_id, seq);
CREATE TRIGGER approval_audit_no_update BEFORE UPDATE ON approval_audit
BEGIN SELECT RAISE(ABORT, 'approval_audit is append-only'); END;
CREATE TRIGGER approval_audit_no_delete BEFORE DELETE ON approval_audit
BEGIN SELECT RAISE(ABORT, 'approval_audit is append-only'); END;

CREATE TABLE approval_notifications (
  key         TEXT PRIMARY KEY,
  approval_id TEXT NOT NULL,
  kind        TEXT NOT NULL,
  recipient   TEXT NOT NULL,
  channel     TEXT NOT NULL,
  status      TEXT NOT NULL,
  attempts    INTEGER NOT NULL
);

CREATE TABLE approval_delivery_attempts (
  approval_id TEXT NOT NULL,
  key         TEXT NOT NULL,
  channel     TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  ok          INTEGER NOT NULL,
  error       TEXT NOT NULL,
  at_ms       INTEGER NOT NULL
);
CREATE INDEX approval_delivery_attempts_key ON approval_delivery_attempts (key);
CREATE TRIGGER approval_delivery_attempts_no_update BEFORE UPDATE ON approval_delivery_attempts
BEGIN SELECT RAISE(ABORT, 'approval_delivery_attempts is append-only'); END;
CREATE TRIGGER approval_delivery_attempts_no_delete BEFORE DELETE ON approval_delivery_attempts
BEGIN SELECT RAISE(ABORT, 'approval_delivery_attempts is append-only'); END;

CREATE TABLE approval_links (
  jti           TEXT PRIMARY KEY,
  approval_id   TEXT NOT NULL,
  approver      TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  used_at_ms    INTEGER
);

CREATE TABLE approval_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
    // A delivery key is claimed (status 'sending' until claimed_until_ms, by claim_owner) before
    // the notifier runs, so that one caller at a time delivers it.
    {2, "0002_delivery_claims", R"sql(
ALTER TABLE approval_notifications ADD COLUMN claimed_until_ms INTEGER;
ALTER TABLE approval_notifications ADD COLUMN claim_owner TEXT;
)sql"},
};

Status SqlError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Unavailable(message);
  return Internal(message);
}

// One prepared statement; binds are positional in call order. Finalized on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int64_t v) {
    if (ok()) rc_ = sqlite3_bind_int64(stmt_, next_++, v);
    return *this;
  }
  Stmt& Bind(int v) { return Bind(int64_t{v}); }
  Stmt& Bind(const std::string& s) {
    if (ok())
      rc_ = sqlite3_bind_text64(stmt_, next_++, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
  }
  Stmt& Bind(const char* s) { return Bind(std::string(s)); }
  Stmt& Bind(const std::optional<int64_t>& v) {
    if (v) return Bind(*v);
    if (ok()) rc_ = sqlite3_bind_null(stmt_, next_++);
    return *this;
  }

  Result<bool> Step() {
    if (!ok()) return SqlError(db_, rc_, "prepare/bind");
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, rc, "step");
  }
  Status Run() {
    DURABLE_ASSIGN_OR_RETURN(bool row, Step());
    (void)row;
    return Status::Ok();
  }
  // Steps through all remaining rows, reading each with `read_row(*this)` (returning T or
  // Result<T>).
  template <typename T, typename ReadRow>
  Result<std::vector<T>> Rows(ReadRow read_row) {
    std::vector<T> out;
    while (true) {
      DURABLE_ASSIGN_OR_RETURN(bool row, Step());
      if (!row) return out;
      DURABLE_ASSIGN_OR_RETURN(T value, Result<T>(read_row(*this)));
      out.push_back(std::move(value));
    }
  }

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

 private:
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
  int next_ = 1;
};

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return Unavailable(message);
  return Internal(message);
}

// Dumps never throw: invalid UTF-8 (which the API refuses anyway) becomes U+FFFD.
std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json ParseJsonOr(const std::string& text, Json fallback) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? fallback : j;
}

constexpr char kRequestColumns[] =
    "id, request_key, execution_arn, callback_id, spec, requester, status, created_at_ms, "
    "expires_at_ms, decided_at_ms";

Result<ApprovalRecord> ReadRequestRow(const Stmt& q) {
  ApprovalRecord r;
  r.id = q.Text(0);
  r.request_key = q.Text(1);
  r.execution_arn = q.Text(2);
  r.callback_id = q.Text(3);
  Json spec = ParseJsonOr(q.Text(4), Json());
  DURABLE_ASSIGN_OR_RETURN(r.spec, SpecFromJson(spec));
  r.requester = q.Text(5);
  auto status = StatusFromString(q.Text(6));
  if (!status) return Internal("approval " + r.id + ": unknown status " + q.Text(6));
  r.status = *status;
  r.created_at_ms = q.Int(7);
  r.expires_at_ms = q.Int(8);
  if (!q.IsNull(9)) r.decided_at_ms = q.Int(9);
  return r;
}

}  // namespace

// --- StoreTx ---

Result<std::vector<std::string>> StoreTx::ApproversWhere(const std::string& id,
                                                         const char* added_by) {
  std::string sql = "SELECT user_id FROM approval_approvers WHERE approval_id = ?";
  if (added_by) sql += " AND added_by = ?";
  sql += " ORDER BY position";
  Stmt q(db_, sql.c_str());
  q.Bind(id);
  if (added_by) q.Bind(added_by);
  return q.Rows<std::string>([](const Stmt& row) { return row.Text(0); });
}

Result<std::optional<ApprovalRecord>> StoreTx::Find(const std::string& id) {
  std::string sql =
      std::string("SELECT ") + kRequestColumns + " FROM approval_requests WHERE id = ?";
  Stmt q(db_, sql.c_str());
  q.Bind(id);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<ApprovalRecord>();
  DURABLE_ASSIGN_OR_RETURN(ApprovalRecord r, ReadRequestRow(q));
  DURABLE_ASSIGN_OR_RETURN(r.approvers, ApproversWhere(id, nullptr));
  DURABLE_ASSIGN_OR_RETURN(r.escalation_added, ApproversWhere(id, "escalation"));
  return std::optional<ApprovalRecord>(std::move(r));
}

Result<std::optional<std::string>> StoreTx::FindIdByRequestKey(const std::string& request_key) {
  Stmt q(db_, "SELECT id FROM approval_requests WHERE request_key = ?");
  q.Bind(request_key);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Status StoreTx::Insert(const ApprovalRecord& r) {
  std::string sql = std::string("INSERT INTO approval_requests (") + kRequestColumns +
                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  Stmt q(db_, sql.c_str());
  q.Bind(r.id)
      .Bind(r.request_key)
      .Bind(r.execution_arn)
      .Bind(r.callback_id)
      .Bind(Dump(ToJson(r.spec)))
      .Bind(r.requester)
      .Bind(ToString(r.status))
      .Bind(r.created_at_ms)
      .Bind(r.expires_at_ms)
      .Bind(r.decided_at_ms);
  DURABLE_RETURN_IF_ERROR(q.Run());
  for (const std::string& a : r.approvers) {
    DURABLE_ASSIGN_OR_RETURN(bool added, AddApprover(r.id, a, "request"));
    (void)added;
  }
  return Status::Ok();
}

Result<bool> StoreTx::AddApprover(const std::string& id, const std::string& user_id,
                                  const std::string& added_by) {
  Stmt q(db_,
         "INSERT OR IGNORE INTO approval_approvers (approval_id, user_id, added_by, position) "
         "VALUES (?, ?, ?, (SELECT COUNT(*) FROM approval_approvers WHERE approval_id = ?))");
  q.Bind(id).Bind(user_id).Bind(added_by).Bind(id);
  DURABLE_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(db_) > 0;
}

Status StoreTx::SetExecutionArn(const std::string& id, const std::string& arn) {
  Stmt q(db_, "UPDATE approval_requests SET execution_arn = ? WHERE id = ?");
  q.Bind(arn).Bind(id);
  return q.Run();
}

Status StoreTx::SetCallback(const std::string& id, const std::string& callback_id) {
  Stmt q(db_, "UPDATE approval_requests SET callback_id = ? WHERE id = ?");
  q.Bind(callback_id).Bind(id);
  return q.Run();
}

Result<bool> StoreTx::Close(const std::string& id, ApprovalStatus status, int64_t at_ms) {
  Stmt q(db_,
         "UPDATE approval_requests SET status = ?, decided_at_ms = ? "
         "WHERE id = ? AND status = 'pending'");
  q.Bind(ToString(status)).Bind(at_ms).Bind(id);
  DURABLE_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(db_) > 0;
}

Result<bool> StoreTx::InsertDecision(const std::string& id, const Decision& d) {
  Stmt q(db_,
         "INSERT OR IGNORE INTO approval_decisions "
         "(approval_id, approver, decision, comment, via, at_ms) VALUES (?, ?, ?, ?, ?, ?)");
  q.Bind(id).Bind(d.approver).Bind(d.decision).Bind(d.comment).Bind(d.via).Bind(d.at_ms);
  DURABLE_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(db_) > 0;
}

Result<std::vector<Decision>> StoreTx::Decisions(const std::string& id) {
  Stmt q(db_,
         "SELECT approver, decision, comment, via, at_ms FROM approval_decisions "
         "WHERE approval_id = ? ORDER BY at_ms, rowid");
  q.Bind(id);
  return q.Rows<Decision>([](const Stmt& row) {
    Decision d;
    d.approver = row.Text(0);
    d.decision = row.Text(1);
    d.comment = row.Text(2);
    d.via = row.Text(3);
    d.at_ms = row.Int(4);
    return d;
  });
}

Status StoreTx::Audit(const std::string& id, int64_t at_ms, const std::string& kind,
                      const std::string& actor, const Json& detail) {
  Stmt q(db_,
         "INSERT INTO approval_audit (approval_id, at_ms, kind, actor, detail) "
         "VALUES (?, ?, ?, ?, ?)");
  q.Bind(id).Bind(at_ms).Bind(kind).Bind(actor).Bind(Dump(detail));
  return q.Run();
}

Result<bool> StoreTx::HasAudit(const std::string& id, const std::string& kind,
                               const std::string& field, const Json& value) {
  Stmt q(db_, "SELECT detail FROM approval_audit WHERE approval_id = ? AND kind = ?");
  q.Bind(id).Bind(kind);
  while (true) {
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return false;
    if (field.empty()) return true;
    Json detail = ParseJsonOr(q.Text(0), Json::object());
    if (detail.is_object() && detail.contains(field) && detail[field] == value) return true;
  }
}

Result<std::vector<AuditEntry>> StoreTx::AuditLog(const std::string& id) {
  Stmt q(db_,
         "SELECT seq, approval_id, at_ms, kind, actor, detail FROM approval_audit "
         "WHERE approval_id = ? ORDER BY seq");
  q.Bind(id);
  return q.Rows<AuditEntry>([](const Stmt& row) {
    AuditEntry e;
    e.seq = row.Int(0);
    e.approval_id = row.Text(1);
    e.at_ms = row.Int(2);
    e.kind = row.Text(3);
    e.actor = row.Text(4);
    e.detail = ParseJsonOr(row.Text(5), Json::object());
    return e;
  });
}

Result<std::vector<ApprovalRecord>> StoreTx::List(const ListFilter& f) {
  std::string sql = std::string("SELECT ") + kRequestColumns + " FROM approval_requests r WHERE 1";
  std::vector<std::string> texts;
  std::vector<int64_t> ints;
  std::vector<char> kinds;  // 't' text, 'i' int, in bind order
  auto text = [&](std::string v) {
    texts.push_back(std::move(v));
    kinds.push_back('t');
  };
  const char* kMayDecideOrDid =
      "(EXISTS (SELECT 1 FROM approval_approvers a WHERE a.approval_id = r.id AND a.user_id = ?) "
      "OR EXISTS (SELECT 1 FROM approval_decisions d WHERE d.approval_id = r.id AND "
      "d.approver = ?))";
  if (f.status) {
    sql += " AND r.status = ?";
    text(ToString(*f.status));
  }
  if (f.requester) {
    sql += " AND r.requester = ?";
    text(*f.requester);
  }
  if (f.approver) {
    sql += std::string(" AND ") + kMayDecideOrDid;
    text(*f.approver);
    text(*f.approver);
  }
  if (f.visible_to) {
    sql += std::string(" AND (r.requester = ? OR ") + kMayDecideOrDid + ")";
    text(*f.visible_to);
    text(*f.visible_to);
    text(*f.visible_to);
  }
  if (f.without_execution) sql += " AND r.execution_arn = ''";
  if (f.before_created_at_ms) {
    sql += " AND (r.created_at_ms < ? OR (r.created_at_ms = ? AND r.id < ?))";
    ints.push_back(*f.before_created_at_ms);
    kinds.push_back('i');
    kinds.push_back('I');  // the same value again
    text(f.before_id);
  }
  sql += " ORDER BY r.created_at_ms DESC, r.id DESC LIMIT ?";
  Stmt q(db_, sql.c_str());
  size_t ti = 0;
  for (char k : kinds) {
    if (k == 't') q.Bind(texts[ti++]);
    if (k == 'i' || k == 'I') q.Bind(ints[0]);
  }
  q.Bind(int64_t{f.limit});
  DURABLE_ASSIGN_OR_RETURN(std::vector<ApprovalRecord> out, q.Rows<ApprovalRecord>(ReadRequestRow));
  for (ApprovalRecord& r : out) {
    DURABLE_ASSIGN_OR_RETURN(r.approvers, ApproversWhere(r.id, nullptr));
    DURABLE_ASSIGN_OR_RETURN(r.escalation_added, ApproversWhere(r.id, "escalation"));
  }
  return out;
}

Result<std::optional<std::string>> StoreTx::DeliveryStatus(const std::string& key) {
  Stmt q(db_, "SELECT status FROM approval_notifications WHERE key = ?");
  q.Bind(key);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Result<int64_t> StoreTx::DeliveryAttempts(const std::string& key) {
  Stmt q(db_, "SELECT attempts FROM approval_notifications WHERE key = ?");
  q.Bind(key);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : int64_t{0};
}

Result<DeliveryClaim> StoreTx::ClaimDelivery(const std::string& key, const std::string& approval_id,
                                             const std::string& kind, const std::string& recipient,
                                             const std::string& channel, const std::string& owner,
                                             int64_t now_ms, int64_t claim_until_ms) {
  {
    Stmt q(db_, "SELECT status, claimed_until_ms FROM approval_notifications WHERE key = ?");
    q.Bind(key);
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) {
      std::string status = q.Text(0);
      if (status == "sent") return DeliveryClaim::kSent;
      if (status == "sending" && !q.IsNull(1) && q.Int(1) > now_ms) return DeliveryClaim::kBusy;
    }
  }
  Stmt up(db_,
          "INSERT INTO approval_notifications "
          "(key, approval_id, kind, recipient, channel, status, attempts, claimed_until_ms, "
          "claim_owner) VALUES (?, ?, ?, ?, ?, 'sending', 0, ?, ?) "
          "ON CONFLICT (key) DO UPDATE SET status = 'sending', "
          "claimed_until_ms = excluded.claimed_until_ms, claim_owner = excluded.claim_owner");
  up.Bind(key)
      .Bind(approval_id)
      .Bind(kind)
      .Bind(recipient)
      .Bind(channel)
      .Bind(claim_until_ms)
      .Bind(owner);
  DURABLE_RETURN_IF_ERROR(up.Run());
  return DeliveryClaim::kClaimed;
}

Result<int64_t> StoreTx::ReleaseClaimsNotOwnedBy(const std::string& owner) {
  Stmt q(db_,
         "UPDATE approval_notifications SET claimed_until_ms = NULL, claim_owner = NULL "
         "WHERE status = 'sending' AND claimed_until_ms IS NOT NULL "
         "AND (claim_owner IS NULL OR claim_owner != ?)");
  q.Bind(owner);
  DURABLE_RETURN_IF_ERROR(q.Run());
  return static_cast<int64_t>(sqlite3_changes(db_));
}

Status StoreTx::RecordDelivery(const std::string& key, const std::string& approval_id,
                               const std::string& kind, const std::string& recipient,
                               const std::string& channel, bool ok, const std::string& error,
                               int64_t at_ms) {
  Stmt up(db_,
          "INSERT INTO approval_notifications "
          "(key, approval_id, kind, recipient, channel, status, attempts) "
          "VALUES (?, ?, ?, ?, ?, ?, 1) "
          "ON CONFLICT (key) DO UPDATE SET status = excluded.status, attempts = attempts + 1, "
          "claimed_until_ms = NULL, claim_owner = NULL");
  up.Bind(key)
      .Bind(approval_id)
      .Bind(kind)
      .Bind(recipient)
      .Bind(channel)
      .Bind(ok ? "sent" : "failed");
  DURABLE_RETURN_IF_ERROR(up.Run());
  DURABLE_ASSIGN_OR_RETURN(int64_t attempt, DeliveryAttempts(key));
  Stmt ins(db_,
           "INSERT INTO approval_delivery_attempts "
           "(approval_id, key, channel, attempt, ok, error, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.Bind(approval_id)
      .Bind(key)
      .Bind(channel)
      .Bind(attempt)
      .Bind(int64_t{ok ? 1 : 0})
      .Bind(error)
      .Bind(at_ms);
  return ins.Run();
}

Status StoreTx::InsertLink(const LinkRecord& link) {
  Stmt q(db_,
         "INSERT INTO approval_links (jti, approval_id, approver, expires_at_ms, used_at_ms) "
         "VALUES (?, ?, ?, ?, ?)");
  q.Bind(link.jti)
      .Bind(link.approval_id)
      .Bind(link.approver)
      .Bind(link.expires_at_ms)
      .Bind(link.used_at_ms);
  return q.Run();
}

Result<std::optional<LinkRecord>> StoreTx::FindLink(const std::string& jti) {
  Stmt q(db_,
         "SELECT jti, approval_id, approver, expires_at_ms, used_at_ms FROM approval_links "
         "WHERE jti = ?");
  q.Bind(jti);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<LinkRecord>();
  LinkRecord l;
  l.jti = q.Text(0);
  l.approval_id = q.Text(1);
  l.approver = q.Text(2);
  l.expires_at_ms = q.Int(3);
  if (!q.IsNull(4)) l.used_at_ms = q.Int(4);
  return std::optional<LinkRecord>(std::move(l));
}

Result<bool> StoreTx::UseLink(const std::string& jti, int64_t at_ms) {
  Stmt q(db_, "UPDATE approval_links SET used_at_ms = ? WHERE jti = ? AND used_at_ms IS NULL");
  q.Bind(at_ms).Bind(jti);
  DURABLE_RETURN_IF_ERROR(q.Run());
  return sqlite3_changes(db_) > 0;
}

Result<std::optional<std::string>> StoreTx::Setting(const std::string& key) {
  Stmt q(db_, "SELECT value FROM approval_settings WHERE key = ?");
  q.Bind(key);
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Result<std::string> StoreTx::PutSettingIfAbsent(const std::string& key, const std::string& value) {
  Stmt q(db_, "INSERT OR IGNORE INTO approval_settings (key, value) VALUES (?, ?)");
  q.Bind(key).Bind(value);
  DURABLE_RETURN_IF_ERROR(q.Run());
  DURABLE_ASSIGN_OR_RETURN(std::optional<std::string> stored, Setting(key));
  if (!stored) return Internal("approval_settings: " + key + " vanished");
  return *stored;
}

Status StoreTx::ExecForTest(const std::string& sql) { return Exec(db_, sql); }

// --- Store ---

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqlError(nullptr, rc, "open " + path);
    sqlite3_close_v2(db);
    return st;
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (path != ":memory:") {
    DURABLE_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  }
  DURABLE_RETURN_IF_ERROR(
      Exec(db, options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  DURABLE_RETURN_IF_ERROR(store->Migrate());
  return store;
}

Store::~Store() { sqlite3_close_v2(db_); }

Status Store::Migrate() {
  std::lock_guard lock(mu_);
  DURABLE_RETURN_IF_ERROR(
      Exec(db_,
           "CREATE TABLE IF NOT EXISTS approval_schema_version (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  auto current = [&]() -> Result<int64_t> {
    Stmt q(db_, "SELECT COALESCE(MAX(version), 0) FROM approval_schema_version");
    DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
    return row ? q.Int(0) : int64_t{0};
  };
  for (const SchemaFile& file : kSchema) {
    DURABLE_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
    Result<int64_t> version = current();
    Status st = version.status();
    if (st.ok() && *version < file.version) {
      st = Exec(db_, file.sql);
      if (st.ok()) {
        Stmt q(db_,
               "INSERT INTO approval_schema_version (version, name, applied_at) VALUES (?, ?, ?)");
        q.Bind(file.version).Bind(file.name).Bind(SystemClock::Get()->NowMs());
        st = q.Run();
      }
    }
    if (!st.ok()) {
      Exec(db_, "ROLLBACK").ok();
      return st;
    }
    DURABLE_RETURN_IF_ERROR(Exec(db_, "COMMIT"));
  }
  DURABLE_ASSIGN_OR_RETURN(schema_version_, current());
  int64_t newest = std::end(kSchema)[-1].version;
  if (schema_version_ > newest) {
    return FailedPrecondition("approvals schema version " + std::to_string(schema_version_) +
                              " is newer than this binary (" + std::to_string(newest) + ")");
  }
  return Status::Ok();
}

// Runs fn; an exception becomes an error, so that no transaction is ever left open.
Status RunGuarded(const std::function<Status(StoreTx&)>& fn, StoreTx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Internal(std::string("approvals store: ") + e.what());
  }
}

Status Store::Write(const std::function<Status(StoreTx&)>& fn) {
  std::lock_guard lock(mu_);
  DURABLE_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE"));
  StoreTx tx(db_);
  Status st = RunGuarded(fn, tx);
  if (st.ok()) st = Exec(db_, "COMMIT");
  if (!st.ok()) Exec(db_, "ROLLBACK").ok();
  return st;
}

Status Store::Read(const std::function<Status(StoreTx&)>& fn) {
  std::lock_guard lock(mu_);
  DURABLE_RETURN_IF_ERROR(Exec(db_, "BEGIN"));
  StoreTx tx(db_);
  Status st = RunGuarded(fn, tx);
  Exec(db_, st.ok() ? "COMMIT" : "ROLLBACK").ok();
  return st;
}

}  // namespace durable::approvals
