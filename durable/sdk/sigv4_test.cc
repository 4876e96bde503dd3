// Published AWS SigV4 test-suite vectors (credentials AKIDEXAMPLE, us-east-1, service "service",
// 20150830T123600Z) and the Lambda-path double-encoding rule.
#include "durable/sdk/sigv4.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>

#include <mutex>

#include "durable/http/http.h"
#include "durable/sdk/http_checkpoint_client.h"

namespace durable::sdk::sigv4 {
namespace {

constexpr char kDate[] = "20150830T123600Z";
constexpr char kHost[] = "example.amazonaws.com";
constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kStsToken[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfI"
    "eoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ"
    "0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDr"
    "ypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

Credentials Example() { return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}; }
Scope ExampleScope() { return {"us-east-1", "service"}; }

Request Vanilla(std::string method, std::string target) {
  return {std::move(method), std::move(target), {{"Host", kHost}, {"X-Amz-Date", kDate}}, ""};
}

std::string Authz(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

TEST(SigV4Test, GetVanilla) {
  Signature s = Sign(Vanilla("GET", "/"), Example(), ExampleScope());
  EXPECT_EQ(s.canonical_request,
            std::string("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                        "host;x-amz-date\n") +
                kEmptyHash);
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(
      s.authorization,
      Authz("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
}

TEST(SigV4Test, PostVanilla) {
  Signature s = Sign(Vanilla("POST", "/"), Example(), ExampleScope());
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
  EXPECT_EQ(s.signature, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4Test, GetVanillaQueryOrderKeyCase) {
  Signature s = Sign(Vanilla("GET", "/?Param2=value2&Param1=value1"), Example(), ExampleScope());
  EXPECT_EQ(s.canonical_request,
            std::string("GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
                        "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n") +
                kEmptyHash);
  EXPECT_EQ(s.signature, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Test, GetVanillaQueryOrderValue) {
  Signature s = Sign(Vanilla("GET", "/?Param1=value2&Param1=value1"), Example(), ExampleScope());
  EXPECT_EQ(s.signature, "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694");
}

TEST(SigV4Test, PostStsHeaderBeforeSignsTheSessionToken) {
  Request r = Vanilla("POST", "/");
  r.headers.emplace_back("X-Amz-Security-Token", kStsToken);
  Credentials c = Example();
  c.session_token = kStsToken;
  Signature s = Sign(r, c, ExampleScope());
  EXPECT_EQ(s.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6");
  EXPECT_EQ(s.authorization,
            Authz("host;x-amz-date;x-amz-security-token",
                  "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
}

TEST(SigV4Test, PostFormBodyHashesThePayloadAndSignsContentType) {
  Request r = Vanilla("POST", "/");
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = "Param1=value1";
  Signature s = Sign(r, Example(), ExampleScope());
  EXPECT_EQ(s.signed_headers, "content-type;host;x-amz-date");
  EXPECT_EQ(s.signature, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Test, GetHeaderValueTrimCollapsesWhitespace) {
  Request r = Vanilla("GET", "/");
  r.headers.emplace_back("My-Header1", " value1");
  r.headers.emplace_back("My-Header2", " \"a   b   c\"");
  Signature s = Sign(r, Example(), ExampleScope());
  EXPECT_NE(s.canonical_request.find("my-header2:\"a b c\"\n"), std::string::npos);
  EXPECT_EQ(s.signature, "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4Test, GetUtf8EncodesNonAsciiPathBytes) {
  // The suite gives this path raw ("/\u1234"); one encoding pass yields /%E1%88%B4.
  Signature s = Sign(Vanilla("GET", "/\xE1\x88\xB4"), Example(), ExampleScope());
  EXPECT_EQ(s.canonical_request.substr(0, 15), "GET\n/%E1%88%B4\n");
  EXPECT_EQ(s.signature, "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4Test, GetSlashesNormalizesEmptySegments) {
  Signature s = Sign(Vanilla("GET", "//example//"), Example(), ExampleScope());
  EXPECT_EQ(s.signature, "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84");
}

TEST(SigV4Test, EncodedWirePathIsEncodedAgainForNonS3Services) {
  // AWS documentation example: "/documents and settings/" is sent as
  // "/documents%20and%20settings/" and signed as "/documents%2520and%2520settings/".
  EXPECT_EQ(CanonicalUri("/documents%20and%20settings/"), "/documents%2520and%2520settings/");
  EXPECT_EQ(CanonicalUri("/2025-12-01/durable-executions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3A"
                         "function%3Af%3A%24LATEST%2Fdurable-execution%2Fn%2Fid/checkpoint"),
            "/2025-12-01/durable-executions/arn%253Aaws%253Alambda%253Aus-east-1%253A1%253A"
            "function%253Af%253A%2524LATEST%252Fdurable-execution%252Fn%252Fid/checkpoint");
}

TEST(SigV4Test, CanonicalQueryDecodesThenEncodesOnce) {
  EXPECT_EQ(CanonicalQuery("b=x%2By&a=to%2Bk%2F%3D&a=1"), "a=1&a=to%2Bk%2F%3D&b=x%2By");
  EXPECT_EQ(CanonicalQuery(""), "");
}

TEST(SigV4Test, AmzDateIsUtcBasicFormat) {
  EXPECT_EQ(AmzDate(1'440'938'160'000), "20150830T123600Z");
}

// ---- HttpCheckpointClient + SigV4Signer against a local fake endpoint ----

constexpr char kArn[] = "arn:aws:lambda:us-east-1:1:function:f:$LATEST/durable-execution/n/id-1";
// kArn as sent (encoded once) and as signed (encoded twice).
constexpr char kWireArn[] =
    "arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af%3A%24LATEST%2Fdurable-execution%2Fn%2Fid-1";
constexpr char kSignedArn[] =
    "arn%253Aaws%253Alambda%253Aus-east-1%253A1%253Afunction%253Af%253A%2524LATEST%252F"
    "durable-execution%252Fn%252Fid-1";

// SHA-256 / HMAC straight from OpenSSL, independent of sigv4.cc.
std::string HexOf(const unsigned char* p, size_t n) {
  std::string out;
  char buf[3];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", p[i]);
    out += buf;
  }
  return out;
}
std::string Sha(const std::string& s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return HexOf(d, sizeof(d));
}
std::string Mac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}
std::string ExpectedAuthorization(const std::string& canonical_request,
                                  const std::string& signed_headers, const std::string& region) {
  std::string scope = "20150830/" + region + "/lambda/aws4_request";
  std::string to_sign =
      "AWS4-HMAC-SHA256\n20150830T123600Z\n" + scope + "\n" + Sha(canonical_request);
  std::string k = Mac("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830");
  k = Mac(Mac(Mac(k, region), "lambda"), "aws4_request");
  std::string sig = Mac(k, to_sign);
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope + ", SignedHeaders=" + signed_headers +
         ", Signature=" + HexOf(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

class FakeLambda {
 public:
  FakeLambda() : server_(http::ServerOptions{"127.0.0.1", 0}) {
    server_.Route("", {"2025-12-01", "durable-executions"},
                  [this](const http::Request& req, http::Response& resp) {
                    std::lock_guard<std::mutex> lock(mu_);
                    last = req;
                    resp.body = body;
                  });
    port_ = *server_.Start();
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "http://" + host(); }

  std::string body = R"({"CheckpointToken":"next"})";
  http::Request last;

 private:
  std::mutex mu_;
  http::Server server_;
  int port_ = 0;
};

constexpr int64_t kExampleMs = 1'440'938'160'000;  // 20150830T123600Z

TEST(SignedCheckpointTest, CheckpointCarriesAnIndependentlyVerifiableSignature) {
  FakeLambda lambda;
  FakeClock clock(kExampleMs);
  HttpCheckpointClient client(lambda.url());
  Credentials creds = Example();
  creds.session_token = "session-token";
  client.SetSigner(SigV4Signer(lambda.url(), creds, "eu-west-1", &clock));
  auto resp = client.Checkpoint(kArn, {"tok", "client-1", {}});
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->checkpoint_token, "next");

  const http::Request& got = lambda.last;
  EXPECT_EQ(got.raw_path,
            std::string("/2025-12-01/durable-executions/") + kWireArn + "/checkpoint");
  EXPECT_EQ(got.Header("Host"), lambda.host());
  EXPECT_EQ(got.Header("X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(got.Header("X-Amz-Security-Token"), "session-token");
  EXPECT_EQ(got.Header("Content-Type"), "application/json");
  std::string canonical = std::string("POST\n/2025-12-01/durable-executions/") + kSignedArn +
                          "/checkpoint\n\ncontent-type:application/json\nhost:" + lambda.host() +
                          "\nx-amz-date:20150830T123600Z\nx-amz-security-token:session-token\n\n"
                          "content-type;host;x-amz-date;x-amz-security-token\n" +
                          Sha(got.body);
  EXPECT_EQ(got.Header("Authorization"),
            ExpectedAuthorization(canonical, "content-type;host;x-amz-date;x-amz-security-token",
                                  "eu-west-1"));
}

TEST(SignedCheckpointTest, GetStateSignsTheSortedEncodedQuery) {
  FakeLambda lambda;
  lambda.body = R"({"Operations":[]})";
  FakeClock clock(kExampleMs);
  HttpCheckpointClient client(lambda.url() + "/");
  client.SetSigner(SigV4Signer(lambda.url() + "/", Example(), "us-east-1", &clock));
  auto resp = client.GetState(kArn, {"to+k/=", std::string("m 1"), 1000});
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  const http::Request& got = lambda.last;
  EXPECT_FALSE(got.Header("X-Amz-Security-Token").has_value());
  std::string canonical = std::string("GET\n/2025-12-01/durable-executions/") + kSignedArn +
                          "/state\nCheckpointToken=to%2Bk%2F%3D&Marker=m%201&MaxItems=1000\n"
                          "host:" +
                          lambda.host() +
                          "\nx-amz-date:20150830T123600Z\n\n"
                          "host;x-amz-date\n" +
                          Sha("");
  EXPECT_EQ(got.Header("Authorization"),
            ExpectedAuthorization(canonical, "host;x-amz-date", "us-east-1"));
}

class EnvGuard {
 public:
  EnvGuard() {
    for (const char* v : kVars) {
      const char* old = getenv(v);
      saved_.emplace_back(v, old ? std::optional<std::string>(old) : std::nullopt);
      unsetenv(v);
    }
  }
  ~EnvGuard() {
    for (const auto& [k, v] : saved_) v ? setenv(k, v->c_str(), 1) : unsetenv(k);
  }

 private:
  static constexpr const char* kVars[] = {
      "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL",      "AWS_REGION",       "AWS_DEFAULT_REGION",
      "AWS_ACCESS_KEY_ID",       "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"};
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

TEST(SignedCheckpointTest, FromEnvironmentSignsWithLambdaCredentials) {
  EnvGuard guard;
  FakeLambda lambda;
  setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);  // overridden by the Lambda-specific one
  setenv("AWS_ENDPOINT_URL_LAMBDA", lambda.url().c_str(), 1);
  setenv("AWS_REGION", "ap-southeast-2", 1);
  setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
  setenv("AWS_SESSION_TOKEN", "tok3n", 1);
  auto client = HttpCheckpointClient::FromEnvironment();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto resp = (*client)->Checkpoint(kArn, {"tok", std::nullopt, {}});
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  auto authz = lambda.last.Header("Authorization");
  ASSERT_TRUE(authz.has_value());
  EXPECT_NE(authz->find("/ap-southeast-2/lambda/aws4_request, SignedHeaders=content-type;host;"
                        "x-amz-date;x-amz-security-token, Signature="),
            std::string::npos)
      << *authz;
  EXPECT_EQ(lambda.last.Header("X-Amz-Security-Token"), "tok3n");
}

TEST(SignedCheckpointTest, FromEnvironmentWithoutCredentialsDoesNotSign) {
  EnvGuard guard;
  FakeLambda lambda;
  setenv("AWS_ENDPOINT_URL", lambda.url().c_str(), 1);
  auto client = HttpCheckpointClient::FromEnvironment();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ASSERT_TRUE((*client)->Checkpoint(kArn, {"tok", std::nullopt, {}}).ok());
  EXPECT_FALSE(lambda.last.Header("Authorization").has_value());
}

TEST(SignedCheckpointTest, EndpointResolutionFallsBackToTheRegionalLambdaEndpoint) {
  EnvGuard guard;
  EXPECT_EQ(HttpCheckpointClient::FromEnvironment().status().code(), StatusCode::kNotFound);
  setenv("AWS_REGION", "us-west-2", 1);
  EXPECT_TRUE(HttpCheckpointClient::FromEnvironment().ok());
  EXPECT_EQ(DefaultLambdaEndpoint("us-west-2"), "https://lambda.us-west-2.amazonaws.com");
  EXPECT_EQ(DefaultLambdaEndpoint("cn-north-1"), "https://lambda.cn-north-1.amazonaws.com.cn");
}

}  // namespace
}  // namespace durable::sdk::sigv4
