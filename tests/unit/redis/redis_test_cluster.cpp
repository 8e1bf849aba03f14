#include "redis_test_cluster.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace fp::testing {
namespace {
constexpr int kSlots = 16384;
}

RedisTestCluster::RedisTestCluster(int nodes, bool tls) {
    RedisTestServer::Options options =
        tls ? RedisTestServer::tlsOptions() : RedisTestServer::Options{};
    options.clusterMode = true;
    options.ownAllSlots = false;
    for (int i = 0; i < nodes; ++i) {
        nodes_.push_back(std::make_unique<RedisTestServer>(options));
        ids_.push_back(nodes_.back()->nodeId());
    }
    for (std::size_t i = 1; i < nodes_.size(); ++i) {
        const auto answer = nodes_.front()->command({"CLUSTER", "MEET", "127.0.0.1",
                                                     std::to_string(nodes_[i]->port()),
                                                     std::to_string(nodes_[i]->clusterBusPort())});
        if (answer != "OK")
            throw std::runtime_error("redis test cluster: CLUSTER MEET answered " + answer);
    }
    for (int i = 0; i < nodes; ++i) {
        const int first = kSlots * i / nodes;
        const int last = kSlots * (i + 1) / nodes - 1;
        const auto answer = nodes_[static_cast<std::size_t>(i)]->command(
            {"CLUSTER", "ADDSLOTSRANGE", std::to_string(first), std::to_string(last)});
        if (answer != "OK")
            throw std::runtime_error("redis test cluster: ADDSLOTSRANGE answered " + answer);
    }
    waitUntilEveryNodeAgrees();
}

void RedisTestCluster::waitUntilEveryNodeAgrees() const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::string known = "cluster_known_nodes:" + std::to_string(nodes_.size());
    for (;;) {
        bool ready = true;
        for (const auto& node : nodes_) {
            const auto info = node->command({"CLUSTER", "INFO"});
            ready = ready && info.find("cluster_state:ok") != std::string::npos &&
                    info.find(known) != std::string::npos &&
                    info.find("cluster_slots_assigned:16384") != std::string::npos;
        }
        if (ready)
            return;
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("redis test cluster: the nodes did not agree within 20 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::size_t RedisTestCluster::ownerOf(int slot) const {
    const int nodes = static_cast<int>(nodes_.size());
    for (int i = 0; i < nodes; ++i) {
        if (slot >= kSlots * i / nodes && slot < kSlots * (i + 1) / nodes)
            return static_cast<std::size_t>(i);
    }
    return 0;
}

void RedisTestCluster::beginMovingSlot(int slot, std::size_t from, std::size_t to) {
    nodes_.at(to)->command(
        {"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", ids_.at(from)});
    nodes_.at(from)->command(
        {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", ids_.at(to)});
}

void RedisTestCluster::moveEmptySlot(int slot, std::size_t to) {
    // The new owner first (it bumps its epoch), then the others.
    const std::vector<std::string> setslot = {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE",
                                              ids_.at(to)};
    nodes_.at(to)->command(setslot);
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (i != to)
            nodes_[i]->command(setslot);
    }
}

}  // namespace fp::testing
