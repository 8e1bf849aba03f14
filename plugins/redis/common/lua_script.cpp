#include "lua_script.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

namespace fp::plugins::redis {

LuaScript::LuaScript(std::string name, std::string source)
    : name_(std::move(name)), source_(std::move(source)) {
    Poco::SHA1Engine engine;
    engine.update(source_);
    sha1_ = Poco::DigestEngine::digestToHex(engine.digest());
}

bool LuaScript::run(RedisConnection& connection, const std::vector<std::string>& keys,
                    const std::vector<std::string>& args, ReplyPtr& reply, std::string& error,
                    int* roundTrips) const {
    int dummy = 0;
    int& trips = roundTrips != nullptr ? *roundTrips : dummy;
    trips = 1;
    Command command{"EVALSHA", sha1_, std::to_string(keys.size())};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    if (!connection.run(command, reply, error))
        return false;
    if (isError(reply.get()) && text(reply.get()).rfind("NOSCRIPT", 0) == 0) {
        command[0] = "EVAL";
        command[1] = source_;
        trips = 2;
        return connection.run(command, reply, error);
    }
    return true;
}

}  // namespace fp::plugins::redis
