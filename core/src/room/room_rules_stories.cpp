// story, queue.add, queue.remove: what is being estimated.
#include "room/json_util.hpp"
#include "room/message_fields.hpp"
#include "room/rules_internal.hpp"
#include "room/text_validation.hpp"

namespace fp::room::rules {

std::optional<Story> readStory(const Poco::JSON::Object::Ptr& object, std::string& problem) {
    MessageFields fields(object, "");
    const std::string title = fields.requiredString("title");
    const auto ref = fields.optionalString("ref");
    const auto url = fields.optionalString("url");
    if (!fields.ok()) {
        problem = fields.error().substr(2);  // drop the empty type's ": "
        return std::nullopt;
    }
    Story story;
    const TextCheck titleCheck = checkTitle(title);
    if (!titleCheck.ok) {
        problem = "title " + titleCheck.problem;
        return std::nullopt;
    }
    story.title = titleCheck.value;
    if (ref) {
        const TextCheck refCheck = checkRef(*ref);
        if (!refCheck.ok) {
            problem = "ref " + refCheck.problem;
            return std::nullopt;
        }
        if (!refCheck.value.empty()) {
            story.ref = refCheck.value;
        }
    }
    if (url) {
        const TextCheck urlCheck = checkUrl(*url);
        if (!urlCheck.ok) {
            problem = "url " + urlCheck.problem;
            return std::nullopt;
        }
        if (!urlCheck.value.empty()) {
            story.url = urlCheck.value;
        }
    }
    return story;
}

Outcome applyStory(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    std::string problem;
    auto story = readStory(command.message, problem);
    if (!story) {
        return reject(room, ErrorCode::badMessage, "story: " + problem);
    }
    Room next = room;
    startStory(next, std::move(story));
    return commit(std::move(next));
}

Outcome applyQueueAdd(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "queue.add");
    auto stories = fields.requiredArray("stories");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (stories->size() < 1 || stories->size() > kMaxQueueAdd) {
        return reject(room, ErrorCode::badMessage,
                      "queue.add: stories must hold 1.." + std::to_string(kMaxQueueAdd) +
                          " stories, not " + std::to_string(stories->size()));
    }
    if (room.queue.size() + stories->size() > kMaxQueue) {
        return reject(room, ErrorCode::badMessage,
                      "queue.add: the queue holds at most " + std::to_string(kMaxQueue) +
                          " stories; it has " + std::to_string(room.queue.size()) + ", " +
                          std::to_string(stories->size()) + " more do not fit");
    }
    std::vector<Story> added;
    for (std::size_t i = 0; i < stories->size(); ++i) {
        const auto value = stories->get(static_cast<unsigned>(i));
        const std::string where = "queue.add: stories[" + std::to_string(i) + "]";
        if (value.isEmpty() || value.type() != typeid(Poco::JSON::Object::Ptr) ||
            value.extract<Poco::JSON::Object::Ptr>().isNull()) {
            return reject(room, ErrorCode::badMessage, where + " must be an object");
        }
        std::string problem;
        auto story = readStory(value.extract<Poco::JSON::Object::Ptr>(), problem);
        if (!story) {
            return reject(room, ErrorCode::badMessage, where + "." + problem);
        }
        added.push_back(std::move(*story));
    }
    Room next = room;
    next.queue.insert(next.queue.end(), added.begin(), added.end());
    // Nothing being estimated and nobody has voted: the first queued story becomes current.
    const bool anyVote = std::any_of(next.participants.begin(), next.participants.end(),
                                     [](const Participant& p) { return p.card.has_value(); });
    if (!next.story && next.stage == Stage::voting && !anyVote) {
        Story first = next.queue.front();
        next.queue.erase(next.queue.begin());
        startStory(next, std::move(first));
    }
    return commit(std::move(next));
}

Outcome applyQueueRemove(const Room& room, const Command& command, const RuleContext&) {
    if (auto denied = checkController(room, command)) {
        return *denied;
    }
    MessageFields fields(command.message, "queue.remove");
    const auto index = fields.requiredInteger("index");
    if (!fields.ok()) {
        return reject(room, ErrorCode::badMessage, fields.error());
    }
    if (*index < 0 || *index >= static_cast<std::int64_t>(room.queue.size())) {
        return reject(room, ErrorCode::badMessage,
                      "queue.remove: index " + std::to_string(*index) +
                          " is out of range (the queue has " + std::to_string(room.queue.size()) +
                          " stories)");
    }
    Room next = room;
    next.queue.erase(next.queue.begin() + *index);
    return commit(std::move(next));
}

}  // namespace fp::room::rules
