#include "lua_script.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace fp::plugins::redis {
namespace {
bool isNoScript(const redisReply* reply) {
    return isError(reply) && text(reply).rfind("NOSCRIPT", 0) == 0;
}

Command evalCommand(const ScriptCall& call, bool bySha) {
    Command command{bySha ? "EVALSHA" : "EVAL", bySha ? call.script->sha1() : call.script->source(),
                    std::to_string(call.keys.size())};
    command.insert(command.end(), call.keys.begin(), call.keys.end());
    command.insert(command.end(), call.args.begin(), call.args.end());
    return command;
}
}  // namespace

LuaScript::LuaScript(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)) {
    Poco::SHA1Engine engine;
    engine.update(source_);
    sha1_ = Poco::DigestEngine::digestToHex(engine.digest());
}

bool LuaScript::run(RedisConnection& connection, const std::vector<std::string>& keys,
                    const std::vector<std::string>& args, ReplyPtr& reply, std::string& error,
                    int* roundTrips) const {
    std::vector<ReplyPtr> replies;
    if (!runScripts(connection, {ScriptCall{this, keys, args}}, replies, error, roundTrips))
        return false;
    reply = std::move(replies.front());
    return true;
}

bool runScripts(RedisConnection& connection, const std::vector<ScriptCall>& calls,
                std::vector<ReplyPtr>& replies, std::string& error, int* roundTrips) {
    int dummy = 0;
    int& trips = roundTrips != nullptr ? *roundTrips : dummy;
    trips = 1;
    std::vector<Command> commands;
    commands.reserve(calls.size());
    for (const auto& call : calls)
        commands.push_back(evalCommand(call, true));
    if (!connection.pipeline(commands, replies, error))
        return false;
    std::size_t first = 0;
    while (first < replies.size() && !isNoScript(replies[first].get()))
        ++first;
    if (first == replies.size())
        return true;
    commands.clear();
    for (std::size_t i = first; i < calls.size(); ++i)
        commands.push_back(evalCommand(calls[i], false));
    std::vector<ReplyPtr> again;
    trips = 2;
    if (!connection.pipeline(commands, again, error))
        return false;
    for (std::size_t i = 0; i < again.size(); ++i)
        replies[first + i] = std::move(again[i]);
    return true;
}

}  // namespace fp::plugins::redis
