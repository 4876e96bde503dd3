// http::Server: an HTTP/1.1 server of our own on epoll. Two idle threads of the pool wait in
// epoll_wait on one epoll set (the other idle ones wait for their place); a connection with bytes
// to read wakes one of them, which serves it itself: reads one request, runs the handler, writes
// the response, re-arms the connection (or serves the next pipelined request), and then runs the
// work the handler deferred until after its reply (after_reply.h). No request waits for a hand-off
// between threads, and an idle kept-alive connection holds a file descriptor and a small buffer,
// never a thread. A handler that blocks (sync Invoke, the Runtime API's /next) holds its thread
// while it blocks. Routing is our own table (method + segment prefix, longest prefix wins) over
// the raw target.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "durable/base/after_reply.h"
#include "durable/base/ids.h"
#include "durable/base/log.h"
#include "durable/http/http.h"
#include "durable/http/target.h"

namespace durable::http {
namespace {

constexpr char kRequestIdHeader[] = "x-amzn-RequestId";
constexpr size_t kMaxHeaderBytes = 64 << 10;
constexpr size_t kReadChunk = 16 << 10;
// A client that has begun a request may go silent this long (and must send all of it within
// ServerOptions::request_timeout_ms); a response may wait this long for the client to take it.
constexpr int kRecvSilenceSeconds = 10;
constexpr int kSendTimeoutSeconds = 60;
// epoll data of the server's own descriptors; connections are numbered from 1.
constexpr uint64_t kListenId = 0;
constexpr uint64_t kStopId = UINT64_MAX;
constexpr uint64_t kSweepId = UINT64_MAX - 1;

struct RouteEntry {
  std::string method;  // "" = any
  std::vector<std::string> prefix;
  Handler handler;
};

bool PrefixMatches(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  if (prefix.size() > path.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), path.begin());
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// True if the comma-separated header value lists `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    if (IEquals(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

const char* Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return status < 400 ? "OK" : (status < 500 ? "Client Error" : "Server Error");
  }
}

// Writes all of `iov` (blocking socket with a send timeout). False if the peer went away.
bool WriteAll(int fd, iovec* iov, int count) {
  while (count > 0) {
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    auto left = static_cast<size_t>(n);
    while (count > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

// One client connection. Owned by the server's table; a pool thread holds it while serving.
struct Conn {
  int fd = -1;
  uint64_t id = 0;
  std::string remote_addr;
  std::string buf;  // bytes received and not yet consumed (a pipelined request's start)
  std::chrono::steady_clock::time_point idle_since;
  std::chrono::steady_clock::time_point deadline;  // for the request being read
  bool busy = false;  // a pool thread serves it; readiness events are ignored
};

// Why a request could not be read: the connection is closed, after an error response if any.
struct ReadError {
  int status = 0;  // 0 = close silently (peer gone, timeout before a request began)
  std::string type;
  std::string message;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::shared_mutex mu;  // guards routes and not_found
  std::vector<RouteEntry> routes;
  Handler not_found;
  int port = 0;
  bool started = false;

  int listen_fd = -1;
  int epoll_fd = -1;
  int wake_fd = -1;  // eventfd: Stop() wakes every thread
  std::atomic<bool> stopping{false};

  std::mutex conns_mu;  // guards conns, next_id and each Conn's busy/idle_since
  std::unordered_map<uint64_t, std::shared_ptr<Conn>> conns;
  uint64_t next_id = 1;

  int sweep_fd = -1;  // timerfd: close idle connections
  // At most kMaxWaiters threads wait in epoll_wait; the others park here until the last waiter
  // leaves it. With every idle thread (64) waiting there, timers fired later while requests kept
  // arriving (B4 with starts still coming in: p99 median 50 against 15 ms with two waiters, ten
  // alternations; docs/performance-notes.md). Two keep a second thread ready while the first
  // serves, so a request still never waits for a thread to be woken for it.
  static constexpr int kMaxWaiters = 2;
  std::mutex wait_mu;  // guards waiters, parked
  std::condition_variable wait_cv;
  int waiters = 0;  // threads in epoll_wait
  int parked = 0;   // threads waiting for a place in it
  std::vector<std::thread> threads;

  const Handler* FindRoute(const Request& req) {
    const RouteEntry* best = nullptr;
    // HEAD is answered like GET, without the body.
    std::string_view method = req.method == "HEAD" ? std::string_view("GET") : req.method;
    for (const RouteEntry& r : routes) {
      if (!r.method.empty() && r.method != method) continue;
      if (!PrefixMatches(r.prefix, req.segments)) continue;
      bool better =
          best == nullptr || r.prefix.size() > best->prefix.size() ||
          (r.prefix.size() == best->prefix.size() && best->method.empty() && !r.method.empty());
      if (better) best = &r;
    }
    return best ? &best->handler : nullptr;
  }

  void Dispatch(const Request& req, Response& res) {
    Handler handler;
    {
      std::shared_lock lock(mu);
      const Handler* found = FindRoute(req);
      handler = found ? *found : not_found;
    }
    try {
      if (handler) {
        handler(req, res);
      } else {
        WriteAwsError(res, 404, "UnknownOperationException", "No route for " + req.raw_path);
      }
    } catch (const std::exception& e) {
      log::Error("http: handler for {} {} threw: {}", req.method, req.raw_path, e.what());
      res = Response();
      WriteAwsError(res, 500, "ServiceException", "Internal server error");
    } catch (...) {
      log::Error("http: handler for {} {} threw a non-exception", req.method, req.raw_path);
      res = Response();
      WriteAwsError(res, 500, "ServiceException", "Internal server error");
    }
  }

  // ---- reading a request -------------------------------------------------------------------

  // Appends what the socket has (blocking up to the receive timeout). False at EOF, on an error,
  // or once the request's deadline has passed.
  static bool ReadMore(Conn& c) {
    if (std::chrono::steady_clock::now() > c.deadline) return false;
    char tmp[kReadChunk];
    while (true) {
      ssize_t n = recv(c.fd, tmp, sizeof(tmp), 0);
      if (n > 0) {
        c.buf.append(tmp, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
  }

  // Ensures c.buf holds at least `n` bytes.
  static bool Need(Conn& c, size_t n) {
    while (c.buf.size() < n) {
      if (!ReadMore(c)) return false;
    }
    return true;
  }

  // Reads one line ending in LF (CR stripped) starting at c.buf[*pos]; advances *pos past it.
  static bool ReadLine(Conn& c, size_t* pos, std::string_view* line, size_t limit) {
    while (true) {
      size_t lf = c.buf.find('\n', *pos);
      if (lf != std::string::npos) {
        std::string_view l(c.buf.data() + *pos, lf - *pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        *line = l;
        *pos = lf + 1;
        return true;
      }
      if (c.buf.size() - *pos > limit) return false;
      if (!ReadMore(c)) return false;
    }
  }

  // Reads a chunked body into `body`; c.buf[*pos] is the first chunk-size line.
  std::optional<ReadError> ReadChunked(Conn& c, size_t* pos, std::string* body) {
    while (true) {
      std::string_view line;
      if (!ReadLine(c, pos, &line, 1024)) return ReadError{400, "BadRequest", "Bad chunk size"};
      line = Trim(line.substr(0, line.find(';')));
      size_t size = 0;
      auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
      if (line.empty() || ec != std::errc() || end != line.data() + line.size()) {
        return ReadError{400, "BadRequest", "Bad chunk size"};
      }
      if (size == 0) break;
      if (size > options.max_body_bytes || body->size() + size > options.max_body_bytes) {
        return TooLarge();
      }
      if (!Need(c, *pos + size + 2)) return ReadError{};
      body->append(c.buf, *pos, size);
      *pos += size;
      std::string_view crlf(c.buf.data() + *pos, 2);
      if (crlf != "\r\n") return ReadError{400, "BadRequest", "Chunk not followed by CRLF"};
      *pos += 2;
      // Drop consumed bytes now and then so a long body does not keep its chunks twice.
      if (*pos > (1 << 20)) {
        c.buf.erase(0, *pos);
        *pos = 0;
      }
    }
    std::string_view trailer;
    do {  // trailer fields, ignored, up to the empty line
      if (!ReadLine(c, pos, &trailer, kMaxHeaderBytes)) {
        return ReadError{400, "BadRequest", "Bad chunked trailer"};
      }
    } while (!trailer.empty());
    return std::nullopt;
  }

  static ReadError TimedOut() {
    return ReadError{408, "RequestTimeoutException", "The request was not received in time"};
  }

  ReadError TooLarge() const {
    return ReadError{
        413, "RequestEntityTooLargeException",
        "Request must be smaller than " + std::to_string(options.max_body_bytes) + " bytes"};
  }

  // Reads the next request from `c`. Consumed bytes leave c.buf; what follows stays there.
  std::optional<ReadError> ReadRequest(Conn& c, Request* req, bool* http10) {
    c.deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.request_timeout_ms);
    size_t pos = 0;
    std::string_view line;
    // Tolerate empty lines before a request line (RFC 9112 §2.2).
    do {
      if (!ReadLine(c, &pos, &line, kMaxHeaderBytes)) {
        if (c.buf.size() > kMaxHeaderBytes) {
          return ReadError{431, "BadRequest", "Request header fields too large"};
        }
        return ReadError{};  // closed (or timed out) between requests: nothing to answer
      }
    } while (line.empty());
    size_t sp1 = line.find(' ');
    size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp1 == 0 || sp2 == sp1 + 1) {
      return ReadError{400, "BadRequest", "Malformed request line"};
    }
    std::string_view version = line.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
      return ReadError{400, "BadRequest", "Unsupported HTTP version"};
    }
    *http10 = version == "HTTP/1.0";
    req->method = std::string(line.substr(0, sp1));
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    ParsedTarget parsed = ParseTarget(target);
    req->raw_path = std::move(parsed.raw_path);
    req->segments = std::move(parsed.segments);
    req->query = std::move(parsed.query);

    size_t header_start = pos;
    while (true) {
      bool read = ReadLine(c, &pos, &line, kMaxHeaderBytes);
      if (read ? pos - header_start > kMaxHeaderBytes
               : c.buf.size() - header_start > kMaxHeaderBytes) {
        return ReadError{431, "BadRequest", "Request header fields too large"};
      }
      if (!read) {  // the client went silent or away in the middle of its headers
        return TimedOut();
      }
      if (line.empty()) break;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        return ReadError{400, "BadRequest", "Malformed header line"};
      }
      req->headers.emplace(std::string(line.substr(0, colon)),
                           std::string(Trim(line.substr(colon + 1))));
    }

    auto te = req->headers.find("Transfer-Encoding");
    bool chunked = te != req->headers.end() && HasToken(te->second, "chunked");
    size_t length = 0;
    if (!chunked) {
      auto [begin, end] = req->headers.equal_range("Content-Length");
      for (auto it = begin; it != end; ++it) {
        std::string_view v = Trim(it->second);
        size_t n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (v.empty() || ec != std::errc() || p != v.data() + v.size() ||
            (it != begin && n != length)) {
          return ReadError{400, "BadRequest", "Bad Content-Length"};
        }
        length = n;
      }
      if (length > options.max_body_bytes) return TooLarge();
    }
    auto expect = req->headers.find("Expect");
    if (expect != req->headers.end() && IEquals(Trim(expect->second), "100-continue") && !*http10 &&
        (chunked || length > 0) && c.buf.size() == pos) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      iovec iov{const_cast<char*>(kContinue), sizeof(kContinue) - 1};
      if (!WriteAll(c.fd, &iov, 1)) return ReadError{};
    }
    if (chunked) {
      if (auto err = ReadChunked(c, &pos, &req->body)) return err;
    } else if (length > 0) {
      if (!Need(c, pos + length)) return ReadError{};
      req->body.assign(c.buf, pos, length);
      pos += length;
    }
    c.buf.erase(0, pos);
    req->remote_addr = c.remote_addr;
    return std::nullopt;
  }

  // ---- writing a response ------------------------------------------------------------------

  bool WriteResponse(Conn& c, const Request& req, Response& res, bool keep_alive, bool http10) {
    if (res.headers.find(kRequestIdHeader) == res.headers.end()) {
      res.headers.emplace(kRequestIdHeader, NewUuid());
    }
    std::string head;
    head.reserve(256);
    head += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head += std::to_string(res.status);
    head += ' ';
    head += Reason(res.status);
    head += "\r\n";
    for (const auto& [k, v] : res.headers) {
      if (IEquals(k, "Content-Length") || IEquals(k, "Connection") ||
          IEquals(k, "Transfer-Encoding")) {
        continue;
      }
      head += k;
      head += ": ";
      head += v;
      head += "\r\n";
    }
    bool no_body = res.status == 204 || res.status == 304 || res.status < 200;
    if (!no_body) {
      if (!res.content_type.empty() && res.headers.find("Content-Type") == res.headers.end()) {
        head += "Content-Type: ";
        head += res.content_type;
        head += "\r\n";
      }
      head += "Content-Length: ";
      head += std::to_string(res.body.size());
      head += "\r\n";
    }
    if (keep_alive) {
      head += "Keep-Alive: timeout=";
      head += std::to_string(std::max(1, options.keep_alive_idle_ms / 1000));
      head += "\r\n";
      if (http10) head += "Connection: keep-alive\r\n";
    } else {
      head += "Connection: close\r\n";
    }
    head += "\r\n";
    iovec iov[2] = {{head.data(), head.size()}, {res.body.data(), res.body.size()}};
    bool with_body = !no_body && req.method != "HEAD" && !res.body.empty();
    return WriteAll(c.fd, iov, with_body ? 2 : 1);
  }

  // ---- connections -------------------------------------------------------------------------

  // After an error response the client may still be sending (an oversize body): closing with
  // unread input would reset the connection and could destroy the response before the client
  // reads it. Stop writing, read and drop what comes for a moment, then close.
  void LingerClose(const std::shared_ptr<Conn>& c) {
    shutdown(c->fd, SHUT_WR);
    timeval tv{0, 200'000};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    char tmp[kReadChunk];
    size_t dropped = 0;
    while (dropped < 4 * options.max_body_bytes && std::chrono::steady_clock::now() < deadline) {
      ssize_t n = recv(c->fd, tmp, sizeof(tmp), 0);
      if (n <= 0 && !(n < 0 && errno == EINTR)) break;
      if (n > 0) dropped += static_cast<size_t>(n);
    }
    CloseConn(c);
  }

  void CloseConn(const std::shared_ptr<Conn>& c) {
    {
      std::lock_guard lock(conns_mu);
      conns.erase(c->id);
    }
    close(c->fd);  // also leaves the epoll set
  }

  // Gives an idle connection back to the epoll set (one-shot: one readiness event per arm).
  void Rearm(const std::shared_ptr<Conn>& c) {
    {
      std::lock_guard lock(conns_mu);
      c->busy = false;
      c->idle_since = std::chrono::steady_clock::now();
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = c->id;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0) CloseConn(c);
  }

  // Serves requests on `c` until it has no complete request buffered, then re-arms or closes.
  // Work a handler deferred (after_reply) runs here once its response is written and the
  // connection re-armed or closed, when `after` goes out of scope.
  void Serve(const std::shared_ptr<Conn>& c) {
    while (true) {
      after_reply::Runner after;
      Request req;
      bool http10 = false;
      if (auto err = ReadRequest(*c, &req, &http10)) {
        if (std::chrono::steady_clock::now() > c->deadline) {  // a trickling client
          err = TimedOut();
        }
        if (err->status != 0) {
          Response res;
          WriteAwsError(res, err->status, err->type, err->message);
          WriteResponse(*c, req, res, /*keep_alive=*/false, http10);
          LingerClose(c);
          return;
        }
        CloseConn(c);
        return;
      }
      Response res;
      Dispatch(req, res);
      auto conn_header = req.headers.find("Connection");
      bool keep_alive =
          http10 ? conn_header != req.headers.end() && HasToken(conn_header->second, "keep-alive")
                 : conn_header == req.headers.end() || !HasToken(conn_header->second, "close");
      auto res_conn = res.headers.find("Connection");
      if (res_conn != res.headers.end() && HasToken(res_conn->second, "close")) keep_alive = false;
      if (stopping.load(std::memory_order_relaxed)) keep_alive = false;
      if (!WriteResponse(*c, req, res, keep_alive, http10) || !keep_alive) {
        CloseConn(c);
        return;
      }
      if (c->buf.empty()) {
        Rearm(c);
        return;
      }
    }
  }

  // A pool thread: waits for a place among the epoll waiters, then in epoll_wait on the one epoll
  // set; the kernel wakes one waiter per event (epoll's waiters are exclusive, connections are
  // one-shot), and that thread serves the connection itself. The last waiter to leave wakes a
  // parked thread to take its place.
  void ThreadLoop() {
    while (!stopping.load()) {
      {
        std::unique_lock lock(wait_mu);
        while (waiters >= kMaxWaiters && !stopping.load()) {
          ++parked;
          wait_cv.wait(lock);
          --parked;
        }
        if (stopping.load()) return;
        ++waiters;
      }
      epoll_event ev;
      int n = epoll_wait(epoll_fd, &ev, 1, -1);
      bool wake = false;
      {
        std::lock_guard lock(wait_mu);
        --waiters;
        wake = waiters == 0 && parked > 0;
      }
      if (wake) wait_cv.notify_one();
      if (n != 1) continue;
      uint64_t id = ev.data.u64;
      if (id == kListenId) {
        Accept();
        continue;
      }
      if (id == kSweepId) {
        CloseIdle();
        continue;
      }
      if (id == kStopId) return;  // level-triggered and never read: it wakes every thread
      std::shared_ptr<Conn> c;
      {
        std::lock_guard lock(conns_mu);
        auto it = conns.find(id);
        if (it == conns.end() || it->second->busy) continue;
        c = it->second;
        c->busy = true;
      }
      Serve(c);
    }
  }

  void Accept() {
    while (true) {
      sockaddr_storage addr{};
      socklen_t len = sizeof(addr);
      int fd = accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          log::Warn("http: accept: {}", std::strerror(errno));
          // Out of descriptors: back off briefly instead of spinning on a ready listener.
          if (errno == EMFILE || errno == ENFILE) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }
        return;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      timeval recv_tv{kRecvSilenceSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &recv_tv, sizeof(recv_tv));
      timeval send_tv{kSendTimeoutSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_tv, sizeof(send_tv));
      auto c = std::make_shared<Conn>();
      c->fd = fd;
      char host[INET6_ADDRSTRLEN] = "";
      if (addr.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, host, sizeof(host));
      } else if (addr.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr, host, sizeof(host));
      }
      c->remote_addr = host;
      {
        std::lock_guard lock(conns_mu);
        c->id = next_id++;
        c->idle_since = std::chrono::steady_clock::now();
        conns.emplace(c->id, c);
      }
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
      ev.data.u64 = c->id;
      if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) CloseConn(c);
    }
  }

  // Closes kept-alive connections idle for longer than keep_alive_idle_ms (the sweep timer's tick).
  void CloseIdle() {
    uint64_t ticks = 0;
    if (read(sweep_fd, &ticks, sizeof(ticks)) != sizeof(ticks)) return;  // another thread's
    auto cutoff =
        std::chrono::steady_clock::now() - std::chrono::milliseconds(options.keep_alive_idle_ms);
    std::vector<std::shared_ptr<Conn>> idle;
    {
      std::lock_guard lock(conns_mu);
      for (auto& [id, c] : conns) {
        if (!c->busy && c->idle_since < cutoff) {
          c->busy = true;  // ours now: a readiness event racing with this is ignored
          idle.push_back(c);
        }
      }
    }
    for (auto& c : idle) CloseConn(c);
  }

  Result<int> Listen() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string service = std::to_string(std::max(0, options.port));
    std::string failure = "cannot bind " + options.host + ":" + std::to_string(options.port);
    if (getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
      return Unavailable(failure + ": unknown host");
    }
    std::string why = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) {
        listen_fd = fd;
        break;
      }
      why = std::strerror(errno);
      close(fd);
    }
    freeaddrinfo(found);
    if (listen_fd < 0) return Unavailable(failure + ": " + why);
    sockaddr_storage bound{};
    socklen_t len = sizeof(bound);
    getsockname(listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
    return bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

Server::~Server() { Stop(); }

void Server::Route(const std::string& method, std::vector<std::string> prefix, Handler handler) {
  std::unique_lock lock(impl_->mu);
  impl_->routes.push_back(RouteEntry{method, std::move(prefix), std::move(handler)});
}

void Server::SetNotFound(Handler handler) {
  std::unique_lock lock(impl_->mu);
  impl_->not_found = std::move(handler);
}

Result<int> Server::Start() {
  Impl& im = *impl_;
  if (im.started) return FailedPrecondition("http server already started");
  auto port = im.Listen();
  if (!port.ok()) return port.status();
  im.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  im.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  im.sweep_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  // Sweep every second, or four times per idle limit if that is shorter.
  int64_t tick_ns = std::clamp<int64_t>(int64_t{im.options.keep_alive_idle_ms} * 250'000, 1'000'000,
                                        1'000'000'000);
  timespec tick{static_cast<time_t>(tick_ns / 1'000'000'000),
                static_cast<long>(tick_ns % 1'000'000'000)};
  itimerspec every{tick, tick};
  timerfd_settime(im.sweep_fd, 0, &every, nullptr);
  for (auto [fd, id] : {std::pair{im.listen_fd, kListenId}, std::pair{im.wake_fd, kStopId},
                        std::pair{im.sweep_fd, kSweepId}}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = id;
    if (epoll_ctl(im.epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      return Internal(std::string("http server: epoll_ctl: ") + std::strerror(errno));
    }
  }
  im.stopping = false;
  im.port = *port;
  im.started = true;
  int threads = std::max(1, im.options.worker_threads);
  for (int i = 0; i < threads; ++i) im.threads.emplace_back([&im] { im.ThreadLoop(); });
  return *port;
}

void Server::Stop() {
  Impl& im = *impl_;
  if (!im.started) return;
  {
    std::lock_guard lock(im.wait_mu);
    im.stopping = true;
  }
  im.wait_cv.notify_all();
  uint64_t one = 1;
  [[maybe_unused]] ssize_t w = write(im.wake_fd, &one, sizeof(one));
  // Requests being served finish and get their responses (closing their connections); a thread
  // waiting for more of a request sees end of input at once.
  {
    std::lock_guard lock(im.conns_mu);
    for (auto& [id, c] : im.conns) shutdown(c->fd, SHUT_RD);
  }
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  for (auto& [id, c] : im.conns) close(c->fd);
  im.conns.clear();
  close(im.listen_fd);
  close(im.epoll_fd);
  close(im.wake_fd);
  close(im.sweep_fd);
  im.listen_fd = im.epoll_fd = im.wake_fd = im.sweep_fd = -1;
  im.started = false;
}

int Server::port() const { return impl_->port; }

}  // namespace durable::http
