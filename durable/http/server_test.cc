#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "durable/base/after_reply.h"
#include "durable/http/http.h"

namespace durable::http {
namespace {

ServerOptions TestOptions() {
  ServerOptions o;
  o.port = 0;
  o.worker_threads = 4;
  return o;
}

// Echoes which route answered and what it saw.
Handler Tag(std::string tag) {
  return [tag](const Request& req, Response& res) {
    std::string body = tag;
    for (const auto& s : req.segments) body += "|" + s;
    res.body = body;
    res.content_type = "text/plain";
  };
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = TestOptions()) {
    server_ = std::make_unique<Server>(options);
    server_->Route("GET", {"api"}, Tag("api"));
    server_->Route("GET", {"api", "items"}, Tag("items"));
    server_->Route("POST", {"api", "items", "special"}, Tag("post-special"));
    server_->Route("", {"any"}, Tag("any"));
    server_->Route("PUT", {"any"}, Tag("any-put"));
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    ASSERT_GT(*port, 0);
    EXPECT_EQ(server_->port(), *port);
    client_ = std::make_unique<Client>("http://127.0.0.1:" + std::to_string(*port));
  }
  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
  }
  ClientResponse Must(const std::string& method, const std::string& path,
                      const std::string& body = "") {
    auto r = client_->Send(method, path, body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ClientResponse{};
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(ServerTest, LongestPrefixWins) {
  StartServer();
  EXPECT_EQ(Must("GET", "/api/items/7").body, "items|api|items|7");
  EXPECT_EQ(Must("GET", "/api/other").body, "api|api|other");
  EXPECT_EQ(Must("GET", "/api").body, "api|api");
}

TEST_F(ServerTest, MethodMismatchFallsBackToShorterPrefixOrNotFound) {
  StartServer();
  // GET does not match the POST-only longer route, so the GET {"api","items"} route answers.
  EXPECT_EQ(Must("GET", "/api/items/special").body, "items|api|items|special");
  EXPECT_EQ(Must("POST", "/api/items/special").body, "post-special|api|items|special");
  ClientResponse r = Must("DELETE", "/api/items");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("X-Amzn-ErrorType").value_or(""), "UnknownOperationException");
}

TEST_F(ServerTest, SpecificMethodBeatsAnyMethodAtSameLength) {
  StartServer();
  EXPECT_EQ(Must("PUT", "/any/x").body, "any-put|any|x");
  EXPECT_EQ(Must("PATCH", "/any/x").body, "any|any|x");
}

TEST_F(ServerTest, PercentEncodedSlashStaysOneSegment) {
  StartServer();
  EXPECT_EQ(Must("GET", "/api/items/arn%3Aaws%3Alambda%2Ffn%2F1").body,
            "items|api|items|arn:aws:lambda/fn/1");
}

TEST_F(ServerTest, HandlerSeesQueryHeadersBodyAndRemoteAddr) {
  StartServer();
  Request seen;
  server_->Route("POST", {"echo"}, [&seen](const Request& req, Response& res) {
    seen = req;
    res.status = 201;
    res.headers.emplace("X-Custom", "yes");
    res.body = R"({"ok":true})";
  });
  auto r = client_->Send("POST", "/echo/a?x=1&x=2&name=a+b%26c", "payload", {{"X-Test", "v"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(r->Header("x-custom").value_or(""), "yes");
  EXPECT_EQ(r->Header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.raw_path, "/echo/a");
  EXPECT_EQ(seen.QueryAll("x"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(seen.Query("name").value_or(""), "a b&c");
  EXPECT_FALSE(seen.Query("missing").has_value());
  EXPECT_EQ(seen.Header("x-test").value_or(""), "v");
  EXPECT_EQ(seen.body, "payload");
  EXPECT_EQ(seen.remote_addr, "127.0.0.1");
}

TEST_F(ServerTest, EveryResponseCarriesARequestIdUnlessTheHandlerSetOne) {
  StartServer();
  server_->Route("GET", {"own-id"}, [](const Request&, Response& res) {
    res.headers.emplace("x-amzn-RequestId", "mine");
  });
  ClientResponse a = Must("GET", "/api");
  ClientResponse b = Must("GET", "/api");
  ASSERT_TRUE(a.Header("x-amzn-RequestId").has_value());
  EXPECT_EQ(a.Header("x-amzn-RequestId")->size(), 36u);
  EXPECT_NE(a.Header("x-amzn-RequestId"), b.Header("x-amzn-RequestId"));
  EXPECT_TRUE(Must("GET", "/nowhere").Header("x-amzn-RequestId").has_value());
  ClientResponse own = Must("GET", "/own-id");
  EXPECT_EQ(own.headers.count("x-amzn-RequestId"), 1u);
  EXPECT_EQ(own.Header("x-amzn-RequestId").value_or(""), "mine");
}

TEST_F(ServerTest, OversizeBodyIsRejectedWith413AndAwsErrorShape) {
  ServerOptions o = TestOptions();
  o.max_body_bytes = 1024;
  StartServer(o);
  server_->Route("POST", {"upload"}, Tag("upload"));
  EXPECT_EQ(Must("POST", "/upload", std::string(1024, 'a')).status, 200);
  ClientResponse r = Must("POST", "/upload", std::string(4096, 'a'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Header("X-Amzn-ErrorType").value_or(""), "RequestEntityTooLargeException");
  EXPECT_NE(r.body.find(R"("Type":"User")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("message":"Request must be smaller than 1024 bytes")"),
            std::string::npos)
      << r.body;
}

TEST_F(ServerTest, HandlerExceptionBecomes500AndServerKeepsServing) {
  StartServer();
  server_->Route("GET", {"boom"},
                 [](const Request&, Response&) { throw std::runtime_error("kaboom"); });
  server_->Route("GET", {"boom-int"}, [](const Request&, Response&) { throw 42; });
  ClientResponse r = Must("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("X-Amzn-ErrorType").value_or(""), "ServiceException");
  EXPECT_NE(r.body.find(R"("Type":"Service")"), std::string::npos);
  EXPECT_EQ(Must("GET", "/boom-int").status, 500);
  EXPECT_EQ(Must("GET", "/api").status, 200);
}

TEST_F(ServerTest, CustomNotFoundHandler) {
  StartServer();
  server_->SetNotFound([](const Request& req, Response& res) {
    res.status = 418;
    res.body = "teapot " + req.raw_path;
  });
  ClientResponse r = Must("GET", "/unknown/x");
  EXPECT_EQ(r.status, 418);
  EXPECT_EQ(r.body, "teapot /unknown/x");
}

TEST_F(ServerTest, ServesConcurrentBlockingHandlersOnWorkerThreads) {
  StartServer();
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  server_->Route("GET", {"slow"}, [&](const Request&, Response& res) {
    int now = ++inside;
    int prev = max_inside.load();
    while (now > prev && !max_inside.compare_exchange_weak(prev, now)) {
    }
    // Wait (bounded) until a second request is inside too, proving parallelism.
    for (int i = 0; i < 2000 && max_inside.load() < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    --inside;
    res.body = "done";
  });
  int port = server_->port();
  auto call = [port] {
    Client c("http://127.0.0.1:" + std::to_string(port));
    auto r = c.Send("GET", "/slow");
    EXPECT_TRUE(r.ok());
  };
  std::thread t1(call), t2(call);
  t1.join();
  t2.join();
  EXPECT_EQ(max_inside.load(), 2);
}

// Only two idle threads wait for requests at a time; each one that leaves to serve must bring a
// parked one in, so that the last free thread still answers while the others block.
TEST_F(ServerTest, TheLastFreeThreadStillServesWhileTheOthersBlock) {
  StartServer();                                 // 4 threads
  client_->SetTimeout(std::chrono::seconds(5));  // fail, not hang, if no thread is left to serve
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> blocked{0};
  server_->Route("GET", {"block"}, [&, released](const Request&, Response& res) {
    ++blocked;
    released.wait_for(std::chrono::seconds(10));
    res.body = "unblocked";
  });
  int port = server_->port();
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([port] {
      Client c("http://127.0.0.1:" + std::to_string(port));
      c.SetTimeout(std::chrono::seconds(5));
      auto r = c.Send("GET", "/block");
      EXPECT_TRUE(r.ok() && r->body == "unblocked");
    });
  }
  for (int i = 0; i < 500 && blocked.load() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(blocked.load(), 3);
  Client fourth("http://127.0.0.1:" + std::to_string(port));
  fourth.SetTimeout(std::chrono::seconds(2));
  auto r = fourth.Send("GET", "/api");
  release.set_value();
  for (auto& t : clients) t.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "api|api");
  EXPECT_EQ(Must("GET", "/api/items").body, "items|api|items");  // and all of them serve again
}

// Regression: the server closed a keep-alive connection after every 5th request (cpp-httplib's
// default), so clients that checkpoint over HTTP reconnected every few calls.
TEST_F(ServerTest, AKeepAliveConnectionServesManyRequests) {
  StartServer();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string request = "GET /api/items HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
    // The response ends with its body ("items|api|items").
    std::string got;
    char buf[4096];
    while (got.find("items|api|items") == std::string::npos) {
      ssize_t n = read(fd, buf, sizeof(buf));
      ASSERT_GT(n, 0) << "the server closed the connection after " << i << " requests";
      got.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(got.find("Connection: close"), std::string::npos) << "request " << i;
  }
  close(fd);
}

// A raw client socket: what the server's parser sees is exactly what a test writes.
class RawConn {
 public:
  explicit RawConn(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{5, 0};  // a test that would hang fails instead
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawConn() { close(fd_); }
  bool connected() const { return connected_; }
  bool Write(const std::string& s) {
    return send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  // Reads until `marker` has been seen `times` times, or EOF/timeout; returns what came.
  std::string ReadUntil(const std::string& marker, int times = 1) {
    char buf[4096];
    while (Count(marker) < times) {
      ssize_t n = read(fd_, buf, sizeof(buf));
      if (n <= 0) break;
      got_.append(buf, static_cast<size_t>(n));
    }
    return got_;
  }
  // Reads to EOF; true if the server closed the connection (not a timeout).
  bool ReadToClose() {
    char buf[4096];
    while (true) {
      ssize_t n = read(fd_, buf, sizeof(buf));
      if (n == 0) return true;
      if (n < 0) return false;
      got_.append(buf, static_cast<size_t>(n));
    }
  }
  // Takes what has arrived without waiting; true if anything has arrived so far.
  bool Poll() {
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
    if (n > 0) got_.append(buf, static_cast<size_t>(n));
    return !got_.empty();
  }
  const std::string& got() const { return got_; }

 private:
  int Count(const std::string& marker) const {
    int n = 0;
    for (size_t p = got_.find(marker); p != std::string::npos; p = got_.find(marker, p + 1)) ++n;
    return n;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string got_;
};

// Regression: each kept-alive connection held one of the server's worker threads while it was
// idle (cpp-httplib's thread per connection), so with more idle clients than workers a new
// client's request waited until one of them timed out (seconds).
TEST_F(ServerTest, IdleKeptAliveConnectionsDoNotHoldWorkers) {
  StartServer();  // 4 workers
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < 16; ++i) {
    conns.push_back(std::make_unique<RawConn>(server_->port()));
    ASSERT_TRUE(conns.back()->connected());
    ASSERT_TRUE(conns.back()->Write("GET /api/items HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string got = conns.back()->ReadUntil("items|api|items");
    ASSERT_NE(got.find("items|api|items"), std::string::npos) << "connection " << i;
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 16; ++i) {  // a second request on each, all still open
    ASSERT_TRUE(conns[i]->Write("GET /api HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string got = conns[i]->ReadUntil("\r\n\r\napi", 1);
    EXPECT_NE(got.find("\r\n\r\napi"), std::string::npos) << "connection " << i;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

// Work a handler defers (after_reply) runs on the serving thread once the client has its response,
// and holds neither the response nor the connection.
TEST_F(ServerTest, DeferredWorkRunsAfterTheResponseWithoutHoldingTheConnection) {
  StartServer();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<std::thread::id> ran;
  std::thread::id handler_thread;
  server_->Route("POST", {"start"}, [&](const Request&, Response& res) {
    handler_thread = std::this_thread::get_id();
    after_reply::Allow allow;
    EXPECT_TRUE(after_reply::Deferrable());
    after_reply::Defer([&, released] {
      released.wait_for(std::chrono::seconds(5));
      ran.set_value(std::this_thread::get_id());
    });
    res.body = "started";
  });
  EXPECT_EQ(Must("POST", "/start").body, "started");  // answered while the task waits
  EXPECT_EQ(Must("GET", "/api").body, "api|api");     // and the same connection serves on
  release.set_value();
  auto task_thread = ran.get_future();
  ASSERT_EQ(task_thread.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(task_thread.get(), handler_thread);
}

TEST_F(ServerTest, IdleConnectionsAreClosedAfterTheKeepAliveLimit) {
  ServerOptions o = TestOptions();
  o.keep_alive_idle_ms = 200;
  StartServer(o);
  RawConn c(server_->port());
  ASSERT_TRUE(c.Write("GET /api HTTP/1.1\r\nHost: x\r\n\r\n"));
  c.ReadUntil("\r\n\r\napi");
  EXPECT_NE(c.got().find("Keep-Alive: timeout=1\r\n"), std::string::npos) << c.got();
  auto idle_from = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ReadToClose());  // closed by the server, not the 5 s read timeout
  auto idle = std::chrono::steady_clock::now() - idle_from;
  EXPECT_GE(idle, std::chrono::milliseconds(190));
  EXPECT_LT(idle, std::chrono::seconds(2));
}

// A client that trickles a request byte by byte cannot hold a server thread for long.
TEST_F(ServerTest, ARequestThatTricklesInIsCutOffWith408) {
  ServerOptions o = TestOptions();
  o.request_timeout_ms = 300;
  StartServer(o);
  RawConn c(server_->port());
  ASSERT_TRUE(c.Write("GET /api HTTP/1.1\r\n"));
  auto start = std::chrono::steady_clock::now();
  bool answered = false;
  for (int i = 0; i < 50 && !answered; ++i) {  // a header byte every 50 ms, for up to 2.5 s
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    answered = c.Poll() || !c.Write("X");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(c.ReadToClose());
  EXPECT_EQ(c.got().rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u) << c.got();
  EXPECT_NE(c.got().find("RequestTimeoutException"), std::string::npos) << c.got();
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  RawConn c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.Write("GET /api HTTP/1.1\r\nHost: x\r\n\r\n"
              "POST /api/items/special HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
              "GET /api/items HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string got = c.ReadUntil("HTTP/1.1 200", 3);
  c.ReadUntil("items|api|items");
  size_t a = c.got().find("\r\n\r\napi");
  size_t b = c.got().find("post-special|api|items|special");
  size_t d = c.got().find("items|api|items");
  ASSERT_NE(a, std::string::npos) << c.got();
  ASSERT_NE(b, std::string::npos) << c.got();
  ASSERT_NE(d, std::string::npos) << c.got();
  EXPECT_LT(a, b);
  EXPECT_LT(b, d);
}

TEST_F(ServerTest, ChunkedBodyAndExpectContinueAreRead) {
  StartServer();
  std::string seen;
  server_->Route("POST", {"echo"}, [&seen](const Request& req, Response& res) {
    seen = req.body;
    res.body = "ok";
  });
  RawConn c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.Write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
              "Expect: 100-continue\r\n\r\n"));
  EXPECT_NE(c.ReadUntil("\r\n\r\n").find("HTTP/1.1 100 Continue\r\n\r\n"), std::string::npos);
  ASSERT_TRUE(c.Write("5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: t\r\n\r\n"));
  std::string got = c.ReadUntil("\r\n\r\nok");
  EXPECT_NE(got.find("HTTP/1.1 200 OK"), std::string::npos) << got;
  EXPECT_EQ(seen, "hello, world");
}

TEST_F(ServerTest, MalformedRequestsGetAnAwsErrorAndTheConnectionCloses) {
  StartServer();
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("NONSENSE\r\n\r\n"));
    EXPECT_TRUE(c.ReadToClose());
    EXPECT_EQ(c.got().rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << c.got();
    EXPECT_NE(c.got().find("X-Amzn-ErrorType: BadRequest"), std::string::npos) << c.got();
    EXPECT_NE(c.got().find(R"("message":"Malformed request line")"), std::string::npos);
  }
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("POST /api HTTP/1.1\r\nContent-Length: x1\r\n\r\n"));
    EXPECT_TRUE(c.ReadToClose());
    EXPECT_NE(c.got().find(R"("message":"Bad Content-Length")"), std::string::npos) << c.got();
  }
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("GET /api HTTP/1.1\r\nX-Big: " + std::string(70 << 10, 'a') + "\r\n\r\n"));
    EXPECT_TRUE(c.ReadToClose());
    EXPECT_EQ(c.got().rfind("HTTP/1.1 431", 0), 0u) << c.got().substr(0, 200);
  }
  EXPECT_EQ(Must("GET", "/api").status, 200);  // and the server goes on
}

TEST_F(ServerTest, ConnectionCloseAndHttp10AreHonoured) {
  StartServer();
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("GET /api HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    EXPECT_TRUE(c.ReadToClose());
    EXPECT_NE(c.got().find("Connection: close\r\n"), std::string::npos) << c.got();
  }
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("GET /api HTTP/1.0\r\n\r\n"));
    EXPECT_TRUE(c.ReadToClose());
    EXPECT_EQ(c.got().rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << c.got();
  }
  {
    RawConn c(server_->port());
    ASSERT_TRUE(c.Write("HEAD /api HTTP/1.1\r\nHost: x\r\n\r\nGET /api/items HTTP/1.1\r\n\r\n"));
    c.ReadUntil("items|api|items");
    EXPECT_NE(c.got().find("Content-Length: 7\r\n"), std::string::npos) << c.got();  // "api|api"
    EXPECT_EQ(c.got().find("api|api"), std::string::npos) << "HEAD sent a body: " << c.got();
  }
}

TEST(ServerLifecycleTest, StopReturnsPromptlyWithIdleAndHalfSentRequests) {
  Server server(TestOptions());
  server.Route("GET", {}, [](const Request&, Response& res) { res.body = "x"; });
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  RawConn idle(*port), partial(*port);
  ASSERT_TRUE(idle.Write("GET / HTTP/1.1\r\n\r\n"));
  idle.ReadUntil("\r\n\r\nx");
  ASSERT_TRUE(partial.Write("GET / HTTP/1.1\r\nHost: x\r\n"));  // headers never finished
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(idle.ReadToClose());
  EXPECT_TRUE(partial.ReadToClose());
}

TEST(ClientTest, BasePathIsPrependedAndConnectionErrorsAreStatuses) {
  Server server(TestOptions());
  std::string seen;
  server.Route("", {}, [&seen](const Request& req, Response& res) { seen = req.raw_path; });
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  {
    Client c("127.0.0.1:" + std::to_string(*port) + "/runtime/tok/");
    auto r = c.Send("GET", "/2018-06-01/runtime/invocation/next");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(seen, "/runtime/tok/2018-06-01/runtime/invocation/next");
  }
  server.Stop();
  Client dead("http://127.0.0.1:" + std::to_string(*port));
  dead.SetTimeout(std::chrono::milliseconds(500));
  auto r = dead.Send("GET", "/x");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
}

TEST(WriteAwsErrorTest, HeaderAndEscapedBodyWithUserOrServiceType) {
  Response r;
  r.headers.emplace("X-Amzn-ErrorType", "Stale");
  WriteAwsError(r, 409, "ConflictException", "say \"no\"\n\\ \x01");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.headers.count("X-Amzn-ErrorType"), 1u);
  EXPECT_EQ(r.headers.find("x-amzn-errortype")->second, "ConflictException");
  EXPECT_EQ(
      r.body,
      R"({"Type":"User","message":"say \"no\"\n\\ \u0001","Message":"say \"no\"\n\\ \u0001"})");
  // Bytes that are not UTF-8 become U+FFFD (the body stays valid JSON); valid UTF-8 is kept.
  WriteAwsError(r, 400, "X", "a\xFF\xC3\xA9\xED\xA0\x80z");
  EXPECT_EQ(r.body,
            "{\"Type\":\"User\",\"message\":"
            "\"a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\","
            "\"Message\":\"a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\"}");
  WriteAwsError(r, 500, "ServiceException", "boom");
  EXPECT_EQ(r.body, R"({"Type":"Service","message":"boom","Message":"boom"})");
}

TEST(ServerLifecycleTest, StartTwiceFailsAndStopIsIdempotent) {
  Server server(TestOptions());
  ASSERT_TRUE(server.Start().ok());
  EXPECT_FALSE(server.Start().ok());
  server.Stop();
  server.Stop();
}

}  // namespace
}  // namespace durable::http
