// Store: schema reopen, append-only audit and decisions, first-wins Close, settings.
#include "durable/approvals/store.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "durable/approvals/server_test_util.h"
#include "durable/base/macros.h"

namespace durable::approvals {
namespace {

using testing::TempDir;

ApprovalRecord Sample(const std::string& id) {
  ApprovalRecord r;
  r.id = id;
  r.request_key = "id:" + id;
  r.spec.title = "t";
  r.spec.requester = "carol";
  r.spec.approvers = {"alice", "bob"};
  r.requester = "carol";
  r.created_at_ms = 1000;
  r.expires_at_ms = 2000;
  r.approvers = r.spec.approvers;
  return r;
}

// The record `id` as a new read transaction sees it (nullopt when absent); fails the test when
// the read itself fails.
std::optional<ApprovalRecord> FindCommitted(Store& store, const std::string& id) {
  std::optional<ApprovalRecord> found;
  Status st = store.Read([&](StoreTx& tx) -> Status {
    DURABLE_ASSIGN_OR_RETURN(found, tx.Find(id));
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return found;
}

TEST(ApprovalStoreTest, ReopenKeepsDataAndSchemaVersion) {
  TempDir dir;
  std::string path = dir.File("a.db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->schema_version(), 2);
    ASSERT_TRUE((*store)->Write([](StoreTx& tx) { return tx.Insert(Sample("a1")); }).ok());
  }
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->schema_version(), 2);
  std::optional<ApprovalRecord> found = FindCommitted(**store, "a1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->spec.title, "t");
  EXPECT_EQ(found->approvers, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(found->status, ApprovalStatus::kPending);
}

TEST(ApprovalStoreTest, AuditLogRefusesUpdateAndDelete) {
  TempDir dir;
  auto store = Store::Open(dir.File("a.db"));
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.Write([](StoreTx& tx) {
                 DURABLE_RETURN_IF_ERROR(tx.Insert(Sample("a1")));
                 return tx.Audit("a1", 1000, "requested", "carol");
               }).ok());
  Status upd = s.Write(
      [](StoreTx& tx) { return tx.ExecForTest("UPDATE approval_audit SET actor = 'mallory'"); });
  EXPECT_FALSE(upd.ok());
  EXPECT_NE(upd.message().find("append-only"), std::string::npos) << upd.message();
  Status del = s.Write([](StoreTx& tx) { return tx.ExecForTest("DELETE FROM approval_audit"); });
  EXPECT_FALSE(del.ok());
  Decision d{"alice", "approve", "", 1500, "api"};
  ASSERT_TRUE(s.Write([&](StoreTx& tx) -> Status {
                 DURABLE_ASSIGN_OR_RETURN(bool ins, tx.InsertDecision("a1", d));
                 EXPECT_TRUE(ins);
                 return Status::Ok();
               }).ok());
  EXPECT_FALSE(s.Write([](StoreTx& tx) {
                  return tx.ExecForTest("UPDATE approval_decisions SET decision = 'reject'");
                }).ok());
  EXPECT_FALSE(
      s.Write([](StoreTx& tx) { return tx.ExecForTest("DELETE FROM approval_decisions"); }).ok());
  std::vector<AuditEntry> log;
  std::vector<Decision> decisions;
  ASSERT_TRUE(s.Read([&](StoreTx& tx) -> Status {
                 DURABLE_ASSIGN_OR_RETURN(log, tx.AuditLog("a1"));
                 DURABLE_ASSIGN_OR_RETURN(decisions, tx.Decisions("a1"));
                 return Status::Ok();
               }).ok());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor, "carol");
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].decision, "approve");
}

TEST(ApprovalStoreTest, CloseOnlyMovesPendingAndDecisionsAreOncePerApprover) {
  TempDir dir;
  auto store = Store::Open(dir.File("a.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)
          ->Write([](StoreTx& tx) -> Status {
            DURABLE_RETURN_IF_ERROR(tx.Insert(Sample("a1")));
            DURABLE_ASSIGN_OR_RETURN(bool first, tx.Close("a1", ApprovalStatus::kApproved, 1500));
            DURABLE_ASSIGN_OR_RETURN(bool second, tx.Close("a1", ApprovalStatus::kRejected, 1600));
            EXPECT_TRUE(first);
            EXPECT_FALSE(second);
            Decision d{"alice", "approve", "", 1500, "api"};
            DURABLE_ASSIGN_OR_RETURN(bool a, tx.InsertDecision("a1", d));
            d.decision = "reject";
            DURABLE_ASSIGN_OR_RETURN(bool b, tx.InsertDecision("a1", d));
            EXPECT_TRUE(a);
            EXPECT_FALSE(b);
            DURABLE_ASSIGN_OR_RETURN(auto rec, tx.Find("a1"));
            EXPECT_EQ(rec->status, ApprovalStatus::kApproved);
            EXPECT_EQ(rec->decided_at_ms, 1500);
            return Status::Ok();
          })
          .ok());
}

TEST(ApprovalStoreTest, FailedWriteRollsBack) {
  TempDir dir;
  auto store = Store::Open(dir.File("a.db"));
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Write([](StoreTx& tx) -> Status {
    DURABLE_RETURN_IF_ERROR(tx.Insert(Sample("a1")));
    return Internal("boom");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(FindCommitted(**store, "a1").has_value());
}

TEST(ApprovalStoreTest, AnExceptionInsideAWriteRollsBackAndLeavesTheStoreUsable) {
  TempDir dir;
  auto store = Store::Open(dir.File("a.db"));
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Write([](StoreTx& tx) -> Status {
    DURABLE_RETURN_IF_ERROR(tx.Insert(Sample("a1")));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_NE(st.message().find("boom"), std::string::npos);
  // No transaction was left open: the next write works, and the first one left nothing.
  EXPECT_TRUE((*store)->Write([](StoreTx& tx) { return tx.Insert(Sample("a2")); }).ok());
  EXPECT_FALSE(FindCommitted(**store, "a1").has_value());
  EXPECT_TRUE(FindCommitted(**store, "a2").has_value());
}

TEST(ApprovalStoreTest, SettingFirstWriterWinsAcrossConnections) {
  TempDir dir;
  std::string path = dir.File("a.db");
  auto a = Store::Open(path);
  auto b = Store::Open(path);
  ASSERT_TRUE(a.ok() && b.ok());
  std::string va, vb;
  ASSERT_TRUE((*a)->Write([&](StoreTx& tx) -> Status {
                    DURABLE_ASSIGN_OR_RETURN(va, tx.PutSettingIfAbsent("k", "first"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE((*b)->Write([&](StoreTx& tx) -> Status {
                    DURABLE_ASSIGN_OR_RETURN(vb, tx.PutSettingIfAbsent("k", "second"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(va, "first");
  EXPECT_EQ(vb, "first");
}

TEST(ApprovalStoreTest, InMemoryDatabaseWorks) {
  auto store = Store::Open(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->Write([](StoreTx& tx) { return tx.Insert(Sample("m")); }).ok());
}

}  // namespace
}  // namespace durable::approvals
