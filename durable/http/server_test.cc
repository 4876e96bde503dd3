#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>

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
