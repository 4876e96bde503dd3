// http::Client with https:// base URLs, without any outside network: a closed local port and a
// plain-HTTP local server must both give a clean error Status.
#include <gtest/gtest.h>

#include "durable/http/http.h"

namespace durable::http {
namespace {

int ClosedPort() {
  Server server(ServerOptions{"127.0.0.1", 0});
  int port = *server.Start();
  server.Stop();
  return port;
}

TEST(ClientTest, HttpsConnectionRefusedIsACleanStatus) {
  Client client("https://127.0.0.1:" + std::to_string(ClosedPort()));
  client.SetTimeout(std::chrono::milliseconds(2000));
  auto resp = client.Send("GET", "/");
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kUnavailable);
}

TEST(ClientTest, HttpsSpeaksTlsNotPlainHttp) {
  Server server(ServerOptions{"127.0.0.1", 0});
  server.Route("", {}, [](const Request&, Response& res) { res.body = "{}"; });
  int port = *server.Start();
  Client plain("http://127.0.0.1:" + std::to_string(port));
  auto ok = plain.Send("GET", "/x");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, 200);

  // The same plain-HTTP server answers no TLS handshake: the https client must fail cleanly.
  Client tls("https://127.0.0.1:" + std::to_string(port) + "/base");
  tls.SetTimeout(std::chrono::milliseconds(2000));
  auto resp = tls.Send("GET", "/x");
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kUnavailable);
  server.Stop();
}

}  // namespace
}  // namespace durable::http
