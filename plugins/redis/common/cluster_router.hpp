// Sends each script and command to the Redis node that owns its keys' hash slot. Without
// `cluster` everything goes to the one node of the url (the pool). With it, the slot map
// comes from CLUSTER SLOTS (asked of the url's node first, then of any known node), a batch
// is split per node (one write per node, in the order the nodes first appear, so a call
// always runs before the calls after it on other nodes), and MOVED / ASK answers are
// followed (MOVED also reloads the map). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection_pool.hpp"
#include "hash_slot.hpp"

namespace fp::plugins::redis {

// Sees a script call (the script and its keys) before it is sent; for tests.
using ScriptObserver =
    std::function<void(const LuaScript& script, const std::vector<std::string>& keys)>;

// A run of slots with one owner ("" = no node serves them).
struct SlotRange {
    int first = 0;
    int last = 0;
    std::string node;
};

class ClusterRouter {
  public:
    ClusterRouter(RedisSettings settings, std::size_t poolSize, bool cluster);

    bool pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                  std::string& error);
    bool scripts(const std::vector<ScriptCall>& calls, std::vector<ReplyPtr>& replies,
                 std::string& error);
    bool script(const LuaScript& script, const std::vector<std::string>& keys,
                const std::vector<std::string>& args, ReplyPtr& reply, std::string& error);

    // The primaries, as "host:port" ("" = the url's node when not in cluster mode), for
    // commands that go to every node (SCAN).
    std::vector<std::string> primaries(std::string& error);
    // Asks for the slot map again (CLUSTER SLOTS from the url's node, else any known node)
    // and returns it as ranges in slot order; false with `error` when no node answered.
    bool slotRanges(std::vector<SlotRange>& ranges, std::string& error);
    // Commands on one node named by primaries().
    bool pipelineOn(const std::string& node, const std::vector<Command>& commands,
                    std::vector<ReplyPtr>& replies, std::string& error);

    bool clusterMode() const { return cluster_; }
    // The url's node: its connection gate drives readiness.
    ConnectionPool& seed() { return *seed_; }
    const ConnectionPool& seed() const { return *seed_; }
    std::uint64_t roundTrips() const;
    // Set before the first call (not synchronized with calls in flight).
    void observeScripts(ScriptObserver observer) { observer_ = std::move(observer); }
    void close();

  private:
    // The pool of `node` ("host:port"), made on first use; the seed for "" or its address.
    ConnectionPool& poolOf(const std::string& node);
    // The node owning `slot`, loading the map first if it is not loaded; "" = the seed.
    std::string nodeOfSlot(int slot);
    // CLUSTER SLOTS from the seed, else from any known node. False when none answered.
    bool loadSlots(std::string& error);
    // A node could not be reached (down, or failed over): ask for the map again next time.
    void forgetSlots();
    // Sends `items` grouped by the node owning `slotOf(item)` with `sendBatch(pool, batch,
    // replies, error)`, then follows MOVED/ASK (up to a few hops) by sending
    // `redirectedCommand(item)` alone to the node named. Replies keep the order of `items`.
    template <typename Item, typename SlotOf, typename SendBatch, typename RedirectedCommand>
    bool routeByNode(const std::vector<Item>& items, SlotOf&& slotOf, SendBatch&& sendBatch,
                     RedirectedCommand&& redirectedCommand, std::vector<ReplyPtr>& replies,
                     std::string& error);

    RedisSettings settings_;
    std::size_t poolSize_;
    bool cluster_;
    std::unique_ptr<ConnectionPool> seed_;
    std::string seedNode_;

    mutable std::mutex mutex_;
    bool slotsLoaded_ = false;
    std::vector<std::string> owners_ = std::vector<std::string>(kHashSlots);
    std::map<std::string, std::unique_ptr<ConnectionPool>> pools_;
    ScriptObserver observer_;
};

// "MOVED 3999 127.0.0.1:6381" / "ASK ...": the node, and whether it is an ASK; false when
// the reply is no redirect.
bool parseRedirect(const redisReply* reply, std::string& node, bool& ask);

}  // namespace fp::plugins::redis
