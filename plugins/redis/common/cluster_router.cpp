#include "cluster_router.hpp"

#include <algorithm>

namespace fp::plugins::redis {
namespace {
constexpr int kMaxRedirects = 3;

std::string nodeName(const std::string& host, long long port) {
    return host + ":" + std::to_string(port);
}

// The slot that decides where a command goes: its first key (every command sent here
// names its key first; commands without keys go to the seed).
int slotOfCommand(const Command& command) {
    return command.size() > 1 ? hashSlot(command[1]) : -1;
}

Command evalCommand(const ScriptCall& call) {
    Command command{"EVAL", call.script->source(), std::to_string(call.keys.size())};
    command.insert(command.end(), call.keys.begin(), call.keys.end());
    command.insert(command.end(), call.args.begin(), call.args.end());
    return command;
}

// Indexes of `items` grouped by node, groups in the order their node first appears.
template <typename Item, typename NodeOf>
std::vector<std::pair<std::string, std::vector<std::size_t>>> groupByNode(
    const std::vector<Item>& items, NodeOf&& nodeOf) {
    std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string node = nodeOf(items[i]);
        auto group = groups.begin();
        while (group != groups.end() && group->first != node)
            ++group;
        if (group == groups.end()) {
            groups.push_back({node, {}});
            group = groups.end() - 1;
        }
        group->second.push_back(i);
    }
    return groups;
}
}  // namespace

bool parseRedirect(const redisReply* reply, std::string& node, bool& ask) {
    if (!isError(reply))
        return false;
    const std::string message = text(reply);
    if (message.rfind("MOVED ", 0) == 0)
        ask = false;
    else if (message.rfind("ASK ", 0) == 0)
        ask = true;
    else
        return false;
    const auto space = message.rfind(' ');
    node = message.substr(space + 1);
    return !node.empty() && node.find(':') != std::string::npos;
}

ClusterRouter::ClusterRouter(RedisSettings settings, std::size_t poolSize, bool cluster)
    : settings_(std::move(settings)),
      poolSize_(poolSize),
      cluster_(cluster),
      seed_(std::make_unique<ConnectionPool>(settings_, poolSize)),
      seedNode_(nodeName(settings_.address.host, settings_.address.port)) {}

ConnectionPool& ClusterRouter::poolOf(const std::string& node) {
    if (node.empty() || node == seedNode_)
        return *seed_;
    std::lock_guard<std::mutex> lock(mutex_);
    auto& pool = pools_[node];
    if (!pool) {
        RedisSettings settings = settings_;
        const auto colon = node.rfind(':');
        settings.address.host = node.substr(0, colon);
        settings.address.port = std::stoi(node.substr(colon + 1));
        pool = std::make_unique<ConnectionPool>(settings, poolSize_);
    }
    return *pool;
}

bool ClusterRouter::loadSlots(std::string& error) {
    std::vector<std::string> candidates = {seedNode_};
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [node, pool] : pools_)
            candidates.push_back(node);
    }
    for (const auto& node : candidates) {
        std::vector<ReplyPtr> replies;
        if (!poolOf(node).pipeline({{"CLUSTER", "SLOTS"}}, replies, error))
            continue;
        const redisReply* reply = replies.front().get();
        if (reply->type != REDIS_REPLY_ARRAY) {
            error = "redis " + node + ": CLUSTER SLOTS answered: " + text(reply);
            continue;
        }
        std::vector<std::string> owners(kHashSlots);  // on the heap: 16384 strings
        for (std::size_t i = 0; i < reply->elements; ++i) {
            const redisReply* range = reply->element[i];
            if (range->type != REDIS_REPLY_ARRAY || range->elements < 3 ||
                range->element[2]->type != REDIS_REPLY_ARRAY || range->element[2]->elements < 2)
                continue;
            const redisReply* primary = range->element[2];
            std::string host = text(primary->element[0]);
            if (host.empty() || host == "?")
                host = settings_.address.host;  // "the node you asked", by Redis's convention
            const auto name = nodeName(host, primary->element[1]->integer);
            const auto first = std::max<long long>(0, range->element[0]->integer);
            const auto last = std::min<long long>(kHashSlots - 1, range->element[1]->integer);
            for (long long slot = first; slot <= last; ++slot)
                owners[static_cast<std::size_t>(slot)] = name;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        owners_ = std::move(owners);
        slotsLoaded_ = true;
        return true;
    }
    return false;
}

void ClusterRouter::forgetSlots() {
    std::lock_guard<std::mutex> lock(mutex_);
    slotsLoaded_ = false;
}

std::string ClusterRouter::nodeOfSlot(int slot) {
    if (!cluster_ || slot < 0)
        return {};
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (slotsLoaded_)
            return owners_[static_cast<std::size_t>(slot)];
    }
    std::string ignored;
    // Not loaded (Redis unreachable so far): the seed answers unavailable or MOVED.
    if (!loadSlots(ignored))
        return {};
    std::lock_guard<std::mutex> lock(mutex_);
    return owners_[static_cast<std::size_t>(slot)];
}

template <typename Item, typename SlotOf, typename SendBatch, typename RedirectedCommand>
bool ClusterRouter::routeByNode(const std::vector<Item>& items, SlotOf&& slotOf,
                                SendBatch&& sendBatch, RedirectedCommand&& redirectedCommand,
                                std::vector<ReplyPtr>& replies, std::string& error) {
    replies.clear();
    replies.resize(items.size());
    const auto groups =
        groupByNode(items, [this, &slotOf](const Item& item) { return nodeOfSlot(slotOf(item)); });
    for (const auto& [node, indexes] : groups) {
        std::vector<Item> batch;
        for (const auto i : indexes)
            batch.push_back(items[i]);
        std::vector<ReplyPtr> got;
        if (!sendBatch(poolOf(node), batch, got, error)) {
            forgetSlots();
            return false;
        }
        for (std::size_t k = 0; k < indexes.size(); ++k) {
            ReplyPtr& reply = got[k];
            // MOVED/ASK: up to a few hops, each to the node named, alone (ASK: after ASKING).
            for (int hop = 0; hop < kMaxRedirects; ++hop) {
                std::string target;
                bool ask = false;
                if (!parseRedirect(reply.get(), target, ask))
                    break;
                if (!ask) {
                    std::string ignored;
                    loadSlots(ignored);  // the slot moved for good: learn the new map
                }
                std::vector<Command> words;
                if (ask)
                    words.push_back({"ASKING"});
                words.push_back(redirectedCommand(items[indexes[k]]));
                std::vector<ReplyPtr> again;
                if (!poolOf(target).pipeline(words, again, error))
                    return false;
                reply = std::move(again.back());
            }
            replies[indexes[k]] = std::move(reply);
        }
    }
    return true;
}

bool ClusterRouter::pipeline(const std::vector<Command>& commands, std::vector<ReplyPtr>& replies,
                             std::string& error) {
    if (!cluster_)
        return seed_->pipeline(commands, replies, error);
    return routeByNode(
        commands, [](const Command& command) { return slotOfCommand(command); },
        [](ConnectionPool& pool, const std::vector<Command>& batch, std::vector<ReplyPtr>& got,
           std::string& why) { return pool.pipeline(batch, got, why); },
        [](const Command& command) { return command; }, replies, error);
}

bool ClusterRouter::scripts(const std::vector<ScriptCall>& calls, std::vector<ReplyPtr>& replies,
                            std::string& error) {
    if (observer_) {
        for (const auto& call : calls)
            observer_(*call.script, call.keys);
    }
    if (!cluster_)
        return seed_->scripts(calls, replies, error);
    return routeByNode(
        calls,
        [](const ScriptCall& call) { return call.keys.empty() ? -1 : hashSlot(call.keys.front()); },
        [](ConnectionPool& pool, const std::vector<ScriptCall>& batch, std::vector<ReplyPtr>& got,
           std::string& why) { return pool.scripts(batch, got, why); },
        // Redirected calls go again with EVAL: the new node may not know the script.
        [](const ScriptCall& call) { return evalCommand(call); }, replies, error);
}

bool ClusterRouter::script(const LuaScript& script, const std::vector<std::string>& keys,
                           const std::vector<std::string>& args, ReplyPtr& reply,
                           std::string& error) {
    std::vector<ReplyPtr> replies;
    if (!scripts({ScriptCall{&script, keys, args}}, replies, error))
        return false;
    reply = std::move(replies.front());
    return true;
}

std::vector<std::string> ClusterRouter::primaries(std::string& error) {
    if (!cluster_)
        return {std::string()};
    nodeOfSlot(0);  // loads the map if needed
    std::vector<std::string> nodes;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!slotsLoaded_) {
        error = "redis " + seedNode_ + ": the cluster's slot map is not known yet";
        return {};
    }
    for (const auto& owner : owners_) {
        if (!owner.empty() && std::find(nodes.begin(), nodes.end(), owner) == nodes.end())
            nodes.push_back(owner);
    }
    return nodes;
}

bool ClusterRouter::slotRanges(std::vector<SlotRange>& ranges, std::string& error) {
    ranges.clear();
    if (!loadSlots(error))
        return false;
    std::lock_guard<std::mutex> lock(mutex_);
    for (int slot = 0; slot < kHashSlots; ++slot) {
        const auto& owner = owners_[static_cast<std::size_t>(slot)];
        if (!ranges.empty() && ranges.back().node == owner)
            ranges.back().last = slot;
        else
            ranges.push_back({slot, slot, owner});
    }
    return true;
}

bool ClusterRouter::pipelineOn(const std::string& node, const std::vector<Command>& commands,
                               std::vector<ReplyPtr>& replies, std::string& error) {
    return poolOf(node).pipeline(commands, replies, error);
}

std::uint64_t ClusterRouter::roundTrips() const {
    std::uint64_t total = seed_->roundTrips();
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [node, pool] : pools_)
        total += pool->roundTrips();
    return total;
}

void ClusterRouter::close() {
    seed_->close();
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [node, pool] : pools_)
        pool->close();
}

}  // namespace fp::plugins::redis
