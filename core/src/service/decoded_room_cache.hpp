// The last room document each room was committed with by this instance, kept decoded, so the
// next command on that room skips parsing JSON it wrote itself. A hit needs the stored text to
// be exactly the remembered text (a memcmp), so a change by another instance, a storage that
// lost the room and recreated it at the same version, or anything else just misses.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "room/room_model.hpp"

namespace fp::service {

class DecodedRoomCache {
  public:
    // At most `maxDocumentBytes` of document text is remembered (and about as much decoded);
    // beyond it, entries are dropped.
    explicit DecodedRoomCache(std::size_t maxDocumentBytes);

    // The room `json` decodes to, if it is the text last remembered for `roomId`. Shared, not
    // copied: the caller reads it and builds the next room from it.
    std::shared_ptr<const room::Room> find(const std::string& roomId,
                                           const std::string& json) const;
    // The room last remembered for `roomId`, whatever the stored text now is (its version is
    // the one it was committed with).
    std::shared_ptr<const room::Room> latest(const std::string& roomId) const;
    // Returns the remembered room (shared with the cache, not copied).
    std::shared_ptr<const room::Room> remember(const std::string& roomId, std::string json,
                                               room::Room room);
    void forget(const std::string& roomId);

  private:
    struct Entry {
        std::string json;
        room::Room room;
    };
    const std::size_t maxBytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
    std::size_t bytes_ = 0;
};

}  // namespace fp::service
