#include "cluster_nodes.hpp"

#include <algorithm>
#include <sstream>

namespace fp::plugins::redis {
namespace {
bool hasFlag(const std::string& flags, const std::string& flag) {
    std::stringstream list(flags);
    std::string item;
    while (std::getline(list, item, ',')) {
        if (item == flag)
            return true;
    }
    return false;
}

// `name` is "host:port"; the rest (database, credentials) comes from `base`.
RedisAddress withNode(RedisAddress base, const std::string& name) {
    const auto colon = name.rfind(':');
    base.host = name.substr(0, colon);
    base.port = std::stoi(name.substr(colon + 1));
    return base;
}
}  // namespace

std::string nodeNameOf(const RedisAddress& address) {
    return address.host + ":" + std::to_string(address.port);
}

std::vector<std::string> parseClusterNodes(const std::string& clusterNodes,
                                           const std::string& answeredHost) {
    // <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slots>...
    std::vector<std::string> nodes;
    std::stringstream lines(clusterNodes);
    std::string line;
    while (std::getline(lines, line)) {
        std::stringstream words(line);
        std::string id, address, flags;
        if (!(words >> id >> address >> flags))
            continue;
        if (hasFlag(flags, "fail") || hasFlag(flags, "noaddr") || hasFlag(flags, "handshake"))
            continue;
        address = address.substr(0, address.find_first_of("@,"));
        const auto colon = address.rfind(':');
        if (colon == std::string::npos || colon + 1 >= address.size())
            continue;
        std::string host = address.substr(0, colon);
        const std::string port = address.substr(colon + 1);
        if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
            port == "0")
            continue;
        if (host.empty())
            host = answeredHost;
        nodes.push_back(host + ":" + port);
    }
    return nodes;
}

ClusterNodes::ClusterNodes(RedisAddress seed) : seed_(std::move(seed)) {}

std::vector<RedisAddress> ClusterNodes::startingWith(const std::string& first) const {
    std::vector<RedisAddress> all;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        all.push_back(seed_);
        all.insert(all.end(), learned_.begin(), learned_.end());
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (nodeNameOf(all[i]) == first) {
            std::rotate(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i),
                        all.begin() + static_cast<std::ptrdiff_t>(i) + 1);
            break;
        }
    }
    return all;
}

void ClusterNodes::learn(const std::string& clusterNodes, const RedisAddress& answeredBy) {
    const std::string seedName = nodeNameOf(seed_);
    std::vector<RedisAddress> learned;
    for (const auto& name : parseClusterNodes(clusterNodes, answeredBy.host)) {
        if (name == seedName)
            continue;
        bool known = false;
        for (const auto& address : learned)
            known = known || nodeNameOf(address) == name;
        if (!known)
            learned.push_back(withNode(seed_, name));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    learned_ = std::move(learned);
}

std::size_t ClusterNodes::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return 1 + learned_.size();
}

}  // namespace fp::plugins::redis
