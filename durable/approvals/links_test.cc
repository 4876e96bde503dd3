// Identity (config parsing, token hashing) and the signed one-click links.
#include "durable/approvals/links.h"

#include <gtest/gtest.h>

#include "durable/approvals/identity.h"
#include "durable/approvals/server_test_util.h"

namespace durable::approvals {
namespace {

using testing::TempDir;

TEST(IdentityTest, HashIsSha256Hex) {
  // SHA-256("abc") from FIPS 180-2.
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(IdentityTest, AuthenticatesByHashedToken) {
  Identity id(testing::DemoUsers());
  auto alice = id.Authenticate("Bearer alice-token");
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->id, "alice");
  EXPECT_TRUE(alice->Has(kRoleApprover));
  EXPECT_FALSE(alice->Has(kRoleAdmin));
  EXPECT_EQ(id.Authenticate("bearer bob-token")->id, "bob");
  for (const char* bad : {"Bearer wrong-token", "Bearer ", "Basic YWxpY2U6eA==", "alice-token",
                          "Bearer alice-tokenx"}) {
    auto r = id.Authenticate(std::string(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidToken) << bad;
  }
  EXPECT_EQ(id.Authenticate(std::nullopt).status().code(), StatusCode::kInvalidToken);
}

TEST(IdentityTest, ParsesConfigAndRejectsBadEntries) {
  Json good = Json::parse(R"({"public_url":"http://x:1/","link_ttl_seconds":60,
    "users":[{"id":"alice","roles":["approver"],"token_sha256":")" +
                          HashToken("t") + R"("}]})");
  auto c = ParseApprovalsConfig(good);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->public_url, "http://x:1");
  EXPECT_EQ(c->link_ttl_seconds, 60);
  ASSERT_EQ(c->users.size(), 1u);
  EXPECT_EQ(c->users[0].name, "alice");
  ASSERT_EQ(c->notifiers.size(), 1u);
  EXPECT_EQ(c->notifiers[0]["type"], "log");

  for (const char* bad :
       {R"({"users":[{"id":"a","roles":["boss"]}]})", R"({"users":[{"id":"a"},{"id":"a"}]})",
        R"({"users":[{"id":"a","token_sha256":"abc"}]})", R"({"users":[{"name":"x"}]})",
        R"({"link_ttl_seconds":0})", R"([1])"}) {
    auto r = ParseApprovalsConfig(Json::parse(bad));
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

class LinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("a.db"));
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    auto l = Links::Open(store_.get(), &clock_);
    ASSERT_TRUE(l.ok());
    links_ = std::move(l).value();
  }
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Links> links_;
};

TEST_F(LinksTest, ValidLinkChecksAndIsSingleUse) {
  auto token = links_->Issue("ap1", "alice", clock_.NowMs() + 60'000);
  ASSERT_TRUE(token.ok());
  auto check = links_->Check(*token);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->problem, LinkProblem::kNone);
  EXPECT_EQ(check->claims.approver, "alice");
  EXPECT_EQ(check->claims.approval_id, "ap1");
  // Checking twice changes nothing (the GET confirm page).
  EXPECT_EQ(links_->Check(*token)->problem, LinkProblem::kNone);
  EXPECT_TRUE(*links_->MarkUsed(check->claims.jti));
  EXPECT_FALSE(*links_->MarkUsed(check->claims.jti));
  EXPECT_EQ(links_->Check(*token)->problem, LinkProblem::kUsed);
}

TEST_F(LinksTest, ExpiredLink) {
  auto token = links_->Issue("ap1", "alice", clock_.NowMs() + 60'000);
  ASSERT_TRUE(token.ok());
  clock_.AdvanceMs(60'000);
  EXPECT_EQ(links_->Check(*token)->problem, LinkProblem::kExpired);
}

TEST_F(LinksTest, ForgedSignatureOrPayloadOrOtherSecret) {
  auto token = links_->Issue("ap1", "alice", clock_.NowMs() + 60'000);
  ASSERT_TRUE(token.ok());
  size_t dot = token->find('.');
  std::string payload = token->substr(0, dot);
  std::string sig = token->substr(dot + 1);
  // A flipped signature character.
  std::string bad_sig = *token;
  bad_sig.back() = bad_sig.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(links_->Check(bad_sig)->problem, LinkProblem::kForged);
  // The same claims re-bound to another approver, signature kept.
  Json claims = {
      {"v", 1}, {"jti", "x"}, {"aid", "ap1"}, {"sub", "bob"}, {"exp", clock_.NowMs() + 60'000}};
  std::string other = Base64Encode(claims.dump());
  EXPECT_EQ(links_->Check(other + "." + sig)->problem, LinkProblem::kForged);
  for (const char* junk : {"", ".", "abc", "a.b.c", "....."}) {
    EXPECT_EQ(links_->Check(junk)->problem, LinkProblem::kForged) << junk;
  }
  // A link signed by another database's secret.
  TempDir other_dir;
  auto other_store = Store::Open(other_dir.File("b.db"));
  ASSERT_TRUE(other_store.ok());
  auto other_links = Links::Open(other_store->get(), &clock_);
  ASSERT_TRUE(other_links.ok());
  auto foreign = (*other_links)->Issue("ap1", "alice", clock_.NowMs() + 60'000);
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(links_->Check(*foreign)->problem, LinkProblem::kForged);
  EXPECT_EQ(links_->Check(*token)->problem, LinkProblem::kNone);
}

TEST_F(LinksTest, SecretSurvivesReopen) {
  auto token = links_->Issue("ap1", "alice", clock_.NowMs() + 60'000);
  ASSERT_TRUE(token.ok());
  links_.reset();
  store_.reset();
  auto s = Store::Open(dir_.File("a.db"));
  ASSERT_TRUE(s.ok());
  auto l = Links::Open(s->get(), &clock_);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ((*l)->Check(*token)->problem, LinkProblem::kNone);
}

}  // namespace
}  // namespace durable::approvals
