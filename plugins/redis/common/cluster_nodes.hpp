// The nodes of a Redis Cluster that bus-redis may talk to when its node is gone: the url's
// node plus those learned from CLUSTER NODES (any node will do for pub/sub: a cluster's
// PUBLISH reaches the subscribers of every node). Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "redis_url.hpp"

namespace fp::plugins::redis {

class ClusterNodes {
  public:
    explicit ClusterNodes(RedisAddress seed);

    // Every known node, `first` (a "host:port" name) first if known, then the url's node,
    // then the learned ones in the order Redis listed them.
    std::vector<RedisAddress> startingWith(const std::string& first) const;
    // Replaces the learned nodes with those of a CLUSTER NODES answer given by `answeredBy`
    // (nodes flagged fail, noaddr or handshake are left out; the url's node always stays).
    void learn(const std::string& clusterNodes, const RedisAddress& answeredBy);
    std::size_t size() const;

  private:
    RedisAddress seed_;
    mutable std::mutex mutex_;
    std::vector<RedisAddress> learned_;
};

// "host:port" of an address (the names CLUSTER SLOTS and MOVED use).
std::string nodeNameOf(const RedisAddress& address);

// The "host:port" of every usable node in a CLUSTER NODES answer; an empty host means the
// node that answered (`answeredHost`).
std::vector<std::string> parseClusterNodes(const std::string& clusterNodes,
                                           const std::string& answeredHost);

}  // namespace fp::plugins::redis
