// Versioned schema for the SQLite backend: the numbered files of durable/store/schema/sqlite,
// embedded into the binary at build time, applied in order and recorded in `schema_version`.
// Thread-compatible (runs once while a store is opened).
#pragma once

#include <vector>

#include "durable/base/result.h"
#include "durable/store/sqlite/db.h"

namespace durable::store::sqlite {

struct SchemaFile {
  int version;       // the file's numeric prefix: 0001_init.sql -> 1
  const char* name;  // file name
  const char* sql;   // file contents
};

// The embedded schema files in ascending version order (generated from the .sql files).
const std::vector<SchemaFile>& EmbeddedSchema();

// Applies every file newer than the database's recorded version, each in its own transaction
// together with its schema_version row. kFailedPrecondition if the database is newer than the
// binary.
Status Migrate(Db& db, const std::vector<SchemaFile>& files, int64_t now_ms);

}  // namespace durable::store::sqlite
