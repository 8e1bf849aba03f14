// Each room as this instance last committed it: decoded, with its stored document and its
// public state as written (and where their pieces sit). The next command on the room skips
// parsing JSON this instance wrote itself, and writes only the pieces that changed (see
// room/encoded_text.hpp). A stored text is recognised only when it is exactly the remembered
// text (a memcmp), so a change by another instance, a storage that lost the room and
// recreated it at the same version, or anything else just misses.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "room/encoded_text.hpp"
#include "room/room_model.hpp"

namespace fp::service {

struct CachedRoom {
    room::EncodedText document;     // as stored (its version is the room's)
    room::EncodedText publicState;  // the RoomState clients were sent for this version
    room::Room room;
};

class DecodedRoomCache {
  public:
    // At most `maxDocumentBytes` of document text is remembered (and about as much decoded);
    // beyond it, entries are dropped.
    explicit DecodedRoomCache(std::size_t maxDocumentBytes);

    // The entry whose document is exactly `json`, if it is the one remembered for `roomId`.
    // Shared, not copied: the caller reads it and builds the next room from it.
    std::shared_ptr<const CachedRoom> find(const std::string& roomId,
                                           const std::string& json) const;
    // The entry last remembered for `roomId`, whatever the stored text now is.
    std::shared_ptr<const CachedRoom> latest(const std::string& roomId) const;
    std::shared_ptr<const CachedRoom> remember(const std::string& roomId, CachedRoom entry);
    void forget(const std::string& roomId);

  private:
    const std::size_t maxBytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const CachedRoom>> entries_;
    std::size_t bytes_ = 0;
};

}  // namespace fp::service
