#include "service/decoded_room_cache.hpp"

namespace fp::service {

DecodedRoomCache::DecodedRoomCache(std::size_t maxDocumentBytes) : maxBytes_(maxDocumentBytes) {}

std::shared_ptr<const room::Room> DecodedRoomCache::find(const std::string& roomId,
                                                         const std::string& json) const {
    std::shared_ptr<const Entry> entry;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(roomId);
        if (it == entries_.end())
            return nullptr;
        entry = it->second;
    }
    // Compared outside the lock; entries are never changed once made.
    if (entry->json != json)
        return nullptr;
    return std::shared_ptr<const room::Room>(entry, &entry->room);
}

std::shared_ptr<const room::Room> DecodedRoomCache::latest(const std::string& roomId) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(roomId);
    if (it == entries_.end())
        return nullptr;
    return std::shared_ptr<const room::Room>(it->second, &it->second->room);
}

std::shared_ptr<const room::Room> DecodedRoomCache::remember(const std::string& roomId,
                                                             std::string json, room::Room room) {
    auto entry = std::make_shared<const Entry>(Entry{std::move(json), std::move(room)});
    std::shared_ptr<const room::Room> remembered(entry, &entry->room);
    const std::size_t size = entry->json.size();
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = entries_[roomId];
    if (slot)
        bytes_ -= slot->json.size();
    slot = std::move(entry);
    bytes_ += size;
    // Over the budget: drop other rooms (in hash order, which is as good as any here).
    for (auto it = entries_.begin(); bytes_ > maxBytes_ && it != entries_.end();) {
        if (it->first == roomId) {
            ++it;
            continue;
        }
        bytes_ -= it->second->json.size();
        it = entries_.erase(it);
    }
    return remembered;
}

void DecodedRoomCache::forget(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(roomId);
    if (it == entries_.end())
        return;
    bytes_ -= it->second->json.size();
    entries_.erase(it);
}

}  // namespace fp::service
