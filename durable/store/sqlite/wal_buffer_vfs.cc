#include "durable/store/sqlite/wal_buffer_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

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

sqlite3_file* Inner(sqlite3_file* f) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(File));
}
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
class Wrapper {
 public:
  Wrapper(sqlite3_vfs* real, std::string name) : real_(real), name_(std::move(name)) {
    vfs_ = *real;
    vfs_.iVersion = 2;  // no system-call overrides
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
    vfs_.zName = name_.c_str();
    vfs_.pAppData = this;
    vfs_.pNext = nullptr;
    vfs_.xOpen = &Open;
    vfs_.xDelete = [](sqlite3_vfs* v, const char* n, int sync) {
      return Real(v)->xDelete(Real(v), n, sync);
    };
    vfs_.xAccess = [](sqlite3_vfs* v, const char* n, int flags, int* out) {
      return Real(v)->xAccess(Real(v), n, flags, out);
    };
    vfs_.xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
      return Real(v)->xFullPathname(Real(v), n, size, out);
    };
    vfs_.xDlOpen = nullptr;
    vfs_.xDlError = nullptr;
    vfs_.xDlSym = nullptr;
    vfs_.xDlClose = nullptr;
    vfs_.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
      return Real(v)->xRandomness(Real(v), n, out);
    };
    vfs_.xSleep = [](sqlite3_vfs* v, int us) { return Real(v)->xSleep(Real(v), us); };
    vfs_.xCurrentTime = [](sqlite3_vfs* v, double* t) { return Real(v)->xCurrentTime(Real(v), t); };
    vfs_.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
      return Real(v)->xGetLastError(Real(v), n, out);
    };
    vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
      return Real(v)->xCurrentTimeInt64(Real(v), t);
    };
    sqlite3_vfs_register(&vfs_, /*makeDflt=*/0);
  }
  const std::string& name() const { return name_; }

 private:
  static Wrapper* Self(sqlite3_vfs* v) { return static_cast<Wrapper*>(v->pAppData); }
  static sqlite3_vfs* Real(sqlite3_vfs* v) { return Self(v)->real_; }

  static int Open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags,
                  int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->wal = nullptr;
    int rc = Real(v)->xOpen(Real(v), name, Inner(f), flags, out_flags);
    const sqlite3_io_methods* inner = Inner(f)->pMethods;
    if (inner == nullptr) return rc;
    Wrapper* self = Self(v);
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      auto [it, added] = self->methods_.try_emplace(inner);
      if (added) it->second = Forwarding(*inner);
      file->base.pMethods = &it->second;
    }
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) != 0) file->wal = new WalState;
    return rc;
  }

  // The wrapped file's methods with the buffering ones in place of write, read, sync, truncate,
  // size and close (which forward when the file is not a WAL).
  static sqlite3_io_methods Forwarding(const sqlite3_io_methods& inner) {
    sqlite3_io_methods m = inner;
    m.iVersion = std::min(inner.iVersion, 3);
    m.xClose = &Close;
    m.xRead = &Read;
    m.xWrite = &Write;
    m.xTruncate = &Truncate;
    m.xSync = &Sync;
    m.xFileSize = &FileSize;
    m.xLock = [](sqlite3_file* f, int l) { return Inner(f)->pMethods->xLock(Inner(f), l); };
    m.xUnlock = [](sqlite3_file* f, int l) { return Inner(f)->pMethods->xUnlock(Inner(f), l); };
    m.xCheckReservedLock = [](sqlite3_file* f, int* out) {
      return Inner(f)->pMethods->xCheckReservedLock(Inner(f), out);
    };
    m.xFileControl = [](sqlite3_file* f, int op, void* arg) {
      int rc = Flush(f);  // a control may size or map the file
      return rc != SQLITE_OK ? rc : Inner(f)->pMethods->xFileControl(Inner(f), op, arg);
    };
    m.xSectorSize = [](sqlite3_file* f) { return Inner(f)->pMethods->xSectorSize(Inner(f)); };
    m.xDeviceCharacteristics = [](sqlite3_file* f) {
      return Inner(f)->pMethods->xDeviceCharacteristics(Inner(f));
    };
    if (m.iVersion >= 2) {
      m.xShmMap = [](sqlite3_file* f, int i, int size, int extend, void volatile** p) {
        return Inner(f)->pMethods->xShmMap(Inner(f), i, size, extend, p);
      };
      m.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
        return Inner(f)->pMethods->xShmLock(Inner(f), offset, n, flags);
      };
      m.xShmBarrier = [](sqlite3_file* f) { Inner(f)->pMethods->xShmBarrier(Inner(f)); };
      m.xShmUnmap = [](sqlite3_file* f, int del) {
        return Inner(f)->pMethods->xShmUnmap(Inner(f), del);
      };
    }
    if (m.iVersion >= 3) {
      m.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
        return Inner(f)->pMethods->xFetch(Inner(f), o, n, p);
      };
      m.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) {
        return Inner(f)->pMethods->xUnfetch(Inner(f), o, p);
      };
    }
    return m;
  }

  sqlite3_vfs* real_;
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
