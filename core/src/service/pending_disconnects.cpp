#include "service/pending_disconnects.hpp"

#include <iterator>

namespace fp::service {

bool PendingDisconnects::add(PendingDisconnect disconnect) {
    std::lock_guard<std::mutex> lock(mutex_);
    bool kept = true;
    if (pending_.size() >= kMaxPending) {
        pending_.pop_front();
        kept = false;
    }
    pending_.push_back(std::move(disconnect));
    return kept;
}

std::vector<PendingDisconnect> PendingDisconnects::takeAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<PendingDisconnect> all(std::make_move_iterator(pending_.begin()),
                                       std::make_move_iterator(pending_.end()));
    pending_.clear();
    return all;
}

std::size_t PendingDisconnects::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_.size();
}

}  // namespace fp::service
