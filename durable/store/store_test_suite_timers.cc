// StoreContractTest cases for timers: set, re-arm, clear, clear_all, claim with leases, NextDueAt.
#include "durable/store/store_test_suite.h"

namespace durable::store {
namespace {

class Timers {
 public:
  explicit Timers(Store& store) : store_(store) {}
  std::string Create(const std::string& id) {
    model::DurableExecution e = FullExecution(id, 1000);
    EXPECT_TRUE(store_.Create(FirstCommit(e)).ok());
    return e.arn;
  }
  Status Set(const std::string& arn, std::vector<Timer> timers, bool clear_all = false,
             std::vector<TimerKey> cleared = {}) {
    Commit c;
    c.arn = arn;
    c.timers_set = std::move(timers);
    c.timers_cleared = std::move(cleared);
    c.clear_all_timers = clear_all;
    return store_.Apply(c);
  }
  std::vector<Timer> Claim(TimestampMs now, const std::string& owner, int32_t limit = 0) {
    Result<std::vector<ClaimedTimer>> claimed = store_.ClaimDueTimers(now, owner, 100, limit);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    std::vector<Timer> out;
    for (const ClaimedTimer& c : claimed.value()) {
      EXPECT_EQ(c.lease_until, now + 100);
      out.push_back(c.timer);
    }
    return out;
  }

 private:
  Store& store_;
};

TEST_P(StoreContractTest, ClaimReturnsDueTimersInDueOrderUpToTheLimit) {
  Timers t(*store_);
  std::string a = t.Create("a");
  std::string b = t.Create("b");
  Timer wait{{a, TimerKind::kWaitEnd, "w1"}, 30};
  Timer retry{{a, TimerKind::kStepRetry, "s1"}, 10};
  Timer invoke{{b, TimerKind::kInvoke, ""}, 20};
  Timer later{{b, TimerKind::kExecutionTimeout, ""}, 500};
  ASSERT_TRUE(t.Set(a, {wait, retry}).ok());
  ASSERT_TRUE(t.Set(b, {invoke, later}).ok());
  EXPECT_EQ(t.Claim(100, "n1", 2), (std::vector<Timer>{retry, invoke}));
  EXPECT_EQ(t.Claim(100, "n1"), (std::vector<Timer>{wait}));
  EXPECT_TRUE(t.Claim(100, "n1").empty());
}

TEST_P(StoreContractTest, ClaimedTimerIsNotReturnedAgainUntilItsLeaseExpires) {
  Timers t(*store_);
  std::string a = t.Create("a");
  Timer wait{{a, TimerKind::kWaitEnd, "w1"}, 30};
  ASSERT_TRUE(t.Set(a, {wait}).ok());
  EXPECT_EQ(t.Claim(50, "n1"), std::vector<Timer>{wait});  // leased until 150
  EXPECT_TRUE(t.Claim(60, "n2").empty());
  EXPECT_TRUE(t.Claim(149, "n1").empty()) << "not even to its own owner";
  EXPECT_EQ(t.Claim(150, "n2"), std::vector<Timer>{wait});  // lease expired
}

TEST_P(StoreContractTest, RearmingATimerMovesItAndResetsTheLease) {
  Timers t(*store_);
  std::string a = t.Create("a");
  Timer beat{{a, TimerKind::kCallbackHeartbeat, "cb"}, 30};
  ASSERT_TRUE(t.Set(a, {beat}).ok());
  ASSERT_EQ(t.Claim(50, "n1").size(), 1u);
  beat.due_at = 60;
  ASSERT_TRUE(t.Set(a, {beat}).ok());
  EXPECT_TRUE(t.Claim(59, "n2").empty());
  EXPECT_EQ(t.Claim(60, "n2"), std::vector<Timer>{beat});
}

TEST_P(StoreContractTest, ClearingDeletesATimerAndClearAllDropsTheExecutionsTimersFirst) {
  Timers t(*store_);
  std::string a = t.Create("a");
  std::string b = t.Create("b");
  Timer w1{{a, TimerKind::kWaitEnd, "w1"}, 10};
  Timer w2{{a, TimerKind::kWaitEnd, "w2"}, 20};
  Timer cb{{a, TimerKind::kCallbackTimeout, "cb"}, 30};
  Timer other{{b, TimerKind::kWaitEnd, "w1"}, 40};
  ASSERT_TRUE(t.Set(a, {w1, w2, cb}).ok());
  ASSERT_TRUE(t.Set(b, {other}).ok());
  ASSERT_TRUE(t.Set(a, {}, false, {w1.key}).ok());
  EXPECT_EQ(t.Claim(15, "n"), std::vector<Timer>{});
  Timer retention{{a, TimerKind::kRetention, ""}, 25};
  ASSERT_TRUE(t.Set(a, {retention}, /*clear_all=*/true).ok());
  EXPECT_EQ(t.Claim(1000, "n"), (std::vector<Timer>{retention, other}));
}

TEST_P(StoreContractTest, NextDueAtIsTheEarliestClaimableTime) {
  Timers t(*store_);
  Result<std::optional<TimestampMs>> none = store_->NextDueAt();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  std::string a = t.Create("a");
  ASSERT_TRUE(
      t.Set(a, {{{a, TimerKind::kWaitEnd, "w1"}, 30}, {{a, TimerKind::kInvoke, ""}, 500}}).ok());
  EXPECT_EQ(store_->NextDueAt()->value_or(-1), 30);
  ASSERT_EQ(t.Claim(40, "n1").size(), 1u);  // leased until 140
  EXPECT_EQ(store_->NextDueAt()->value_or(-1), 140);
  ASSERT_TRUE(t.Set(a, {}, false, {{a, TimerKind::kWaitEnd, "w1"}}).ok());
  EXPECT_EQ(store_->NextDueAt()->value_or(-1), 500);
}

}  // namespace
}  // namespace durable::store
