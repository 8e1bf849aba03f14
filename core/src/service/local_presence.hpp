// This instance's joined connections in a room, per participant id: what the sweep compares
// with the stored counts to repair presence (see RuleContext::localConnections). Implemented
// by the fan-out, which holds the local audience; read by the room service.
#pragma once

#include <map>
#include <string>

namespace fp::service {

class LocalPresence {
  public:
    virtual ~LocalPresence() = default;
    virtual std::map<std::string, int> connectionsByParticipant(
        const std::string& roomId) const = 0;
};

}  // namespace fp::service
