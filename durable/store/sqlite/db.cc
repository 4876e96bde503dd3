#include "durable/store/sqlite/db.h"

#include <sqlite3.h>

namespace durable::store::sqlite {

Status SqliteError(int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(message);
    case SQLITE_CONSTRAINT:
      return FailedPrecondition(message);
    default:
      return Internal(message);
  }
}

Query::~Query() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Bind(int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, next_++, v);
  if (rc != SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::Bind(std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, next_++, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindBlob(std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, next_++, bytes.data(), bytes.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindNull() {
  int rc = sqlite3_bind_null(stmt_, next_++);
  if (rc != SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Query::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(bind_rc_, "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

Status Query::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

bool Query::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Query::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Query::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(stmt_, col));
}

std::string_view Query::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p == nullptr ? std::string_view() : std::string_view(p, sqlite3_column_bytes(stmt_, col));
}

std::optional<std::string> Query::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

std::optional<int64_t> Query::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const std::string& vfs) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    Status st = SqliteError(rc, "open " + path);
    sqlite3_close_v2(handle);
    return st;
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle));
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = err != nullptr ? err : "";
  sqlite3_free(err);
  return SqliteError(rc, message);
}

Result<Query> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(rc, "prepare: " + std::string(sqlite3_errmsg(db_)));
    it = cache_.emplace(sql, stmt).first;
  }
  return Query(it->second);
}

void Db::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

int64_t Db::Changes() const { return sqlite3_changes64(db_); }

int64_t Db::TotalChanges() const { return sqlite3_total_changes64(db_); }

bool Db::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Db::SetWalHook(std::function<void(int frames)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<Db*>(self)->wal_hook_(frames);
        return SQLITE_OK;
      },
      this);
}

Result<Db::CheckpointResult> Db::CheckpointPassive() {
  CheckpointResult r;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &r.wal_frames,
                                     &r.copied_frames);
  if (rc == SQLITE_OK) return r;
  return SqliteError(rc, std::string("checkpoint: ") + sqlite3_errmsg(db_));
}

}  // namespace durable::store::sqlite
