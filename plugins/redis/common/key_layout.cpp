#include "key_layout.hpp"

namespace fp::plugins::redis {

std::optional<std::string> KeyLayout::roomOfChannel(const std::string& channel) const {
    const std::string head = prefix_ + ":{room:";
    const std::string tail = "}:state";
    if (channel.size() <= head.size() + tail.size() || channel.rfind(head, 0) != 0 ||
        channel.compare(channel.size() - tail.size(), tail.size(), tail) != 0)
        return std::nullopt;
    return channel.substr(head.size(), channel.size() - head.size() - tail.size());
}

std::string KeyLayout::outboxScanPattern() const {
    std::string pattern;
    for (const char c : prefix_) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            pattern += '\\';
        pattern += c;
    }
    return pattern + ":{room:*}:outbox:*";
}

std::optional<std::pair<std::string, std::string>> KeyLayout::roomOfOutboxKey(
    const std::string& key) const {
    const std::string head = prefix_ + ":{room:";
    const std::string middle = "}:outbox:";
    if (key.rfind(head, 0) != 0)
        return std::nullopt;
    // The last "}:outbox:" (a room id may hold braces, never this whole text).
    const auto at = key.rfind(middle);
    if (at == std::string::npos || at < head.size())
        return std::nullopt;
    auto roomId = key.substr(head.size(), at - head.size());
    auto part = key.substr(at + middle.size());
    if (part != "due" && part != "created" && part != "failed" && part != "rec")
        return std::nullopt;
    return std::make_pair(std::move(roomId), std::move(part));
}

std::string encodeBusMessage(std::uint64_t version, const std::string& payload) {
    std::string message = std::to_string(version);
    message += '\n';
    message += payload;
    return message;
}

bool decodeBusMessage(const std::string& message, std::uint64_t& version, std::string& payload) {
    const auto newline = message.find('\n');
    if (newline == std::string::npos || newline == 0 || newline > 20)
        return false;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < newline; ++i) {
        const char c = message[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    version = value;
    payload = message.substr(newline + 1);
    return true;
}

}  // namespace fp::plugins::redis
