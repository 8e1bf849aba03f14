// A real Redis Cluster of several redis-server nodes (primaries only) for one test: each on
// free ports in its own folder; slots split evenly; ready when every node sees state ok.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "redis_test_server.hpp"

namespace fp::testing {

class RedisTestCluster {
  public:
    // `tls`: every node serves TLS only, its cluster bus too (RedisTestServer::tlsOptions).
    explicit RedisTestCluster(int nodes = 3, bool tls = false);

    RedisTestServer& node(std::size_t index) { return *nodes_.at(index); }
    std::size_t size() const { return nodes_.size(); }
    // The first node's url (what the plugins are given).
    std::string url() const { return nodes_.front()->url(); }
    // The index of the node owning `slot` in the initial even split.
    std::size_t ownerOf(int slot) const;
    // Hands an empty slot to node `to` (CLUSTER SETSLOT ... NODE on every node), as a
    // resharding does once the keys are moved: clients then get MOVED from the old owner.
    void moveEmptySlot(int slot, std::size_t to);

    // Starts moving an empty slot: MIGRATING on its owner, IMPORTING on `to`; clients get ASK
    // from the owner for keys it does not hold. moveEmptySlot finishes it.
    void beginMovingSlot(int slot, std::size_t from, std::size_t to);
    const std::string& nodeIdOf(std::size_t index) const { return ids_.at(index); }

  private:
    void waitUntilEveryNodeAgrees() const;

    std::vector<std::unique_ptr<RedisTestServer>> nodes_;
    std::vector<std::string> ids_;
};

}  // namespace fp::testing
