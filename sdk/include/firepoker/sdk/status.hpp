// Results that cross the plugin boundary instead of exceptions.
#pragma once

#include <string>
#include <utility>

namespace fp::sdk {

enum class StatusCode {
    ok,
    notFound,
    conflict,     // compare-and-swap lost: someone else changed the document first
    unavailable,  // the backend cannot be reached; nothing was changed
    invalid,      // the request itself is wrong (bad option, bad data)
    internal,
};

struct Status {
    StatusCode code = StatusCode::ok;
    std::string message;  // what failed and where; never a secret

    bool ok() const { return code == StatusCode::ok; }
    static Status success() { return {}; }
    static Status failure(StatusCode c, std::string m) { return {c, std::move(m)}; }
};

// Whether a plugin can serve right now; /readyz reports the reason of any that cannot.
struct Readiness {
    bool ready = true;
    std::string reason;
};

}  // namespace fp::sdk
