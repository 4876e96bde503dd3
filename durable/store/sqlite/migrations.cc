#include "durable/store/sqlite/migrations.h"

#include <string>

#include "durable/base/macros.h"

namespace durable::store::sqlite {
namespace {

Result<int64_t> CurrentVersion(Db& db) {
  DURABLE_ASSIGN_OR_RETURN(Query q,
                           db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  DURABLE_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Internal("schema_version: no result");
  return q.Int(0);
}

Status ApplyFile(Db& db, const SchemaFile& file, int64_t now_ms) {
  DURABLE_RETURN_IF_ERROR(db.Exec(file.sql));
  DURABLE_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"));
  return q.Bind(int64_t{file.version}).Bind(file.name).Bind(now_ms).Run();
}

}  // namespace

Status Migrate(Db& db, const std::vector<SchemaFile>& files, int64_t now_ms) {
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version != files[i - 1].version + 1) {
      return Internal(std::string("schema files are not numbered consecutively at ") +
                      files[i].name);
    }
  }
  DURABLE_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at INTEGER NOT NULL)"));
  for (const SchemaFile& file : files) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes opening the same fresh file
    // apply each file exactly once: the second one sees the first one's version row.
    DURABLE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    Result<int64_t> current = CurrentVersion(db);
    Status st = current.status();
    if (st.ok() && *current < file.version) st = ApplyFile(db, file, now_ms);
    if (!st.ok()) {
      db.Exec("ROLLBACK").ok();
      return st;
    }
    DURABLE_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  DURABLE_ASSIGN_OR_RETURN(int64_t version, CurrentVersion(db));
  int64_t newest = files.empty() ? 0 : files.back().version;
  if (version > newest) {
    return FailedPrecondition("database schema version " + std::to_string(version) +
                              " is newer than this binary (" + std::to_string(newest) + ")");
  }
  return Status::Ok();
}

}  // namespace durable::store::sqlite
