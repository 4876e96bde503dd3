// A SQLite VFS that gathers a transaction's WAL writes into one write system call.
//
// SQLite appends a transaction to the WAL as two writes per page (the 24-byte frame header, then
// the page), each a pwrite. With group commit a transaction holds dozens of pages, and those
// pwrites were the largest cost of the serial write path after the fsync itself. Through this
// VFS, writes to a WAL file that extend it contiguously are kept in memory and written at once:
//   - after the page that follows a commit frame's header (a header whose "database size after
//     commit" field is non-zero), so a committed transaction is in the file before SQLite makes
//     it visible to other connections in the wal-index, synced or not;
//   - before any sync, read, size query, truncation or close of the file, and before a write
//     that does not extend the buffered range (one inside it is applied to the buffer);
//   - when the buffer reaches a size limit (a large transaction).
// And when the frames extend the WAL, the file is extended by zeros to the next MiB: appending
// makes each fdatasync write the inode as well (a second synchronous disk write per commit);
// overwriting allocated blocks does not. Every other file, and every other method, goes straight
// to the wrapped VFS.
#pragma once

#include <string>

namespace durable::store::sqlite {

// The name of the buffering VFS wrapped around the process's current default VFS, registered on
// first use (not as the default). Thread-safe.
std::string WalBufferVfsName();

}  // namespace durable::store::sqlite
