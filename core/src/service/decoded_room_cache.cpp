#include "service/decoded_room_cache.hpp"

namespace fp::service {

DecodedRoomCache::DecodedRoomCache(std::size_t maxDocumentBytes) : maxBytes_(maxDocumentBytes) {}

std::shared_ptr<const CachedRoom> DecodedRoomCache::find(const std::string& roomId,
                                                         const std::string& json) const {
    std::shared_ptr<const CachedRoom> entry;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(roomId);
        if (it == entries_.end())
            return nullptr;
        entry = it->second;
    }
    // Compared outside the lock; entries are never changed once made.
    if (entry->document.text != json)
        return nullptr;
    return entry;
}

std::shared_ptr<const CachedRoom> DecodedRoomCache::latest(const std::string& roomId) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(roomId);
    return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<const CachedRoom> DecodedRoomCache::remember(const std::string& roomId,
                                                             CachedRoom entry) {
    auto remembered = std::make_shared<const CachedRoom>(std::move(entry));
    const std::size_t size = remembered->document.text.size();
    std::shared_ptr<const CachedRoom> replaced;  // freed outside the lock
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = entries_[roomId];
    if (slot)
        bytes_ -= slot->document.text.size();
    replaced = std::move(slot);
    slot = remembered;
    bytes_ += size;
    // Over the budget: drop other rooms (in hash order, which is as good as any here).
    for (auto it = entries_.begin(); bytes_ > maxBytes_ && it != entries_.end();) {
        if (it->first == roomId) {
            ++it;
            continue;
        }
        bytes_ -= it->second->document.text.size();
        it = entries_.erase(it);
    }
    return remembered;
}

void DecodedRoomCache::forget(const std::string& roomId) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(roomId);
    if (it == entries_.end())
        return;
    bytes_ -= it->second->document.text.size();
    entries_.erase(it);
}

}  // namespace fp::service
