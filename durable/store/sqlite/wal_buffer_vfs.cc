#include "durable/store/sqlite/wal_buffer_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include "durable/store/sqlite/forwarding_vfs.h"

namespace durable::store::sqlite {
namespace {

constexpr int kFrameHeaderSize = 24;           // a WAL frame header (the page follows it)
constexpr size_t kMaxBuffered = 4u << 20;      // written out beyond this
// The unix VFS writes at most 128 KiB - 1 per call (a longer write ends short and is reported
// as a full disk): a flush writes pieces of this size.
constexpr sqlite3_int64 kMaxWrite = 124 << 10;
constexpr sqlite3_int64 kGrowBy = 1 << 20;  // the WAL is extended by zeros to a multiple of this

// What a buffered WAL file holds besides the wrapped VFS's file (which follows this struct).
struct WalState {
  std::string bytes;         // to be written at `start`
  sqlite3_int64 start = 0;
  sqlite3_int64 size = -1;   // the file's size as last seen or made (-1: unknown)
  bool flush_after_next_write = false;
};

struct File {
  sqlite3_file base;
  WalState* wal;  // null: not a WAL file, every call is forwarded
};

sqlite3_file* Inner(sqlite3_file* f) { return InnerFile<File>(f); }
WalState* Wal(sqlite3_file* f) { return reinterpret_cast<File*>(f)->wal; }

// Writes `n` bytes at `offset` in pieces the wrapped VFS accepts; `p` null writes zeros.
int WritePieces(sqlite3_file* f, const char* p, sqlite3_int64 n, sqlite3_int64 offset) {
  static const char kZeros[kMaxWrite] = {};
  int rc = SQLITE_OK;
  for (sqlite3_int64 done = 0; done < n && rc == SQLITE_OK; done += kMaxWrite) {
    const auto piece = static_cast<int>(std::min<sqlite3_int64>(kMaxWrite, n - done));
    rc = Inner(f)->pMethods->xWrite(Inner(f), p != nullptr ? p + done : kZeros, piece,
                                    offset + done);
  }
  return rc;
}

int Flush(sqlite3_file* f) {
  WalState* w = Wal(f);
  if (w == nullptr || w->bytes.empty()) return SQLITE_OK;
  const auto n = static_cast<sqlite3_int64>(w->bytes.size());
  const sqlite3_int64 end = w->start + n;
  int rc = SQLITE_OK;
  if (end > w->size) {
    // The WAL grows. Appending to a file makes every fdatasync write the inode too (its size and
    // block map changed): one more synchronous disk write per commit. So the file is extended
    // by zeros ahead of the frames, a chunk at a time, and the commits that follow overwrite
    // blocks that are already allocated. Only the connection that holds the WAL's write lock
    // (the one writing frames) gets here, and it extends only past the file's current end. A
    // zero frame after the last one is invalid (as a stale frame after a WAL restart is):
    // recovery stops there.
    rc = Inner(f)->pMethods->xFileSize(Inner(f), &w->size);
    if (rc == SQLITE_OK && end > w->size) {
      const sqlite3_int64 grown = (end + kGrowBy - 1) / kGrowBy * kGrowBy;
      rc = WritePieces(f, nullptr, grown - end, end);
      w->size = rc == SQLITE_OK ? grown : -1;
    }
  }
  if (rc == SQLITE_OK) rc = WritePieces(f, w->bytes.data(), n, w->start);
  // Dropped even on failure: SQLite fails the transaction, whose frames are then never used.
  w->bytes.clear();
  return rc;
}

int Write(sqlite3_file* f, const void* p, int n, sqlite3_int64 offset) {
  WalState* w = Wal(f);
  if (w == nullptr) return Inner(f)->pMethods->xWrite(Inner(f), p, n, offset);
  const sqlite3_int64 end = w->start + static_cast<sqlite3_int64>(w->bytes.size());
  if (!w->bytes.empty() && offset >= w->start && offset + n <= end) {
    std::memcpy(w->bytes.data() + (offset - w->start), p, static_cast<size_t>(n));  // rewritten
  } else {
    if (!w->bytes.empty() && offset != end) {
      int rc = Flush(f);
      if (rc != SQLITE_OK) return rc;
    }
    if (w->bytes.empty()) w->start = offset;
    w->bytes.append(static_cast<const char*>(p), static_cast<size_t>(n));
  }
  const bool flush_now = w->flush_after_next_write || w->bytes.size() >= kMaxBuffered;
  w->flush_after_next_write = false;
  if (n == kFrameHeaderSize) {
    // Bytes 4-7 of a frame header: the database size after a commit, zero on other frames.
    const auto* h = static_cast<const unsigned char*>(p);
    w->flush_after_next_write = (h[4] | h[5] | h[6] | h[7]) != 0;
  }
  return flush_now ? Flush(f) : SQLITE_OK;
}

int Read(sqlite3_file* f, void* p, int n, sqlite3_int64 offset) {
  int rc = Flush(f);
  return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xRead(Inner(f), p, n, offset);
}

int Sync(sqlite3_file* f, int flags) {
  int rc = Flush(f);
  return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xSync(Inner(f), flags);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  int rc = Flush(f);
  if (Wal(f) != nullptr) Wal(f)->size = -1;
  return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xTruncate(Inner(f), size);
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  int rc = Flush(f);
  return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xFileSize(Inner(f), size);
}

int Close(sqlite3_file* f) {
  int flushed = Flush(f);
  delete Wal(f);
  reinterpret_cast<File*>(f)->wal = nullptr;
  int rc = Inner(f)->pMethods->xClose(Inner(f));
  f->pMethods = nullptr;
  return flushed != SQLITE_OK ? flushed : rc;
}

// One wrapper per wrapped VFS; never freed (a registered VFS must outlive its connections).
class Wrapper : public WrappedVfs {
 public:
  Wrapper(sqlite3_vfs* wrapped, std::string name) : WrappedVfs{wrapped}, name_(std::move(name)) {
    vfs_ = ForwardingVfs<File>(this, name_.c_str(), &Open);
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/0);
  }
  const std::string& name() const { return name_; }

 private:
  static Wrapper* Self(sqlite3_vfs* v) {
    return static_cast<Wrapper*>(static_cast<WrappedVfs*>(v->pAppData));
  }

  static int Open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags,
                  int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->wal = nullptr;
    int rc = RealVfs(v)->xOpen(RealVfs(v), name, Inner(f), flags, out_flags);
    const sqlite3_io_methods* inner = Inner(f)->pMethods;
    if (inner == nullptr) return rc;
    Wrapper* self = Self(v);
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      auto [it, added] = self->methods_.try_emplace(inner);
      if (added) it->second = Buffering(*inner);
      file->base.pMethods = &it->second;
    }
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0) file->wal = new WalState;
    return rc;
  }

  // The wrapped file's methods with the buffering ones in place of write, read, sync, truncate,
  // size, file control and close (which forward when the file is not a WAL).
  static sqlite3_io_methods Buffering(const sqlite3_io_methods& inner) {
    sqlite3_io_methods m = ForwardingMethods<File>(inner.iVersion);
    m.xClose = &Close;
    m.xRead = &Read;
    m.xWrite = &Write;
    m.xTruncate = &Truncate;
    m.xSync = &Sync;
    m.xFileSize = &FileSize;
    m.xFileControl = [](sqlite3_file* f, int op, void* arg) {
      int rc = Flush(f);  // a control may size or map the file
      return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xFileControl(Inner(f), op, arg);
    };
    return m;
  }

  std::string name_;
  sqlite3_vfs vfs_;
  std::mutex mu_;
  // One method table per kind of wrapped file (the unix VFS has a few).
  std::map<const sqlite3_io_methods*, sqlite3_io_methods> methods_;
};

}  // namespace

std::string WalBufferVfsName() {
  static std::mutex mu;
  static std::map<sqlite3_vfs*, std::unique_ptr<Wrapper>>* wrappers =
      new std::map<sqlite3_vfs*, std::unique_ptr<Wrapper>>();
  std::lock_guard<std::mutex> lock(mu);
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  auto it = wrappers->find(real);
  if (it == wrappers->end()) {
    std::string name = "durable-wal-buffer-" + std::to_string(wrappers->size());
    it = wrappers->emplace(real, std::make_unique<Wrapper>(real, std::move(name))).first;
  }
  return it->second->name();
}

}  // namespace durable::store::sqlite
