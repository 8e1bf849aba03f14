// A small blocking HTTP client over libcurl for the sinks: one request at a time per object,
// connections kept alive between requests, a hard timeout per request, and an abort flag
// that ends a request in flight (used when the server shuts down).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "curl_global.hpp"

typedef void CURL;

namespace fp::sinks {

// What went wrong below HTTP. Whether the server may have acted on the request matters for
// idempotency: only `couldNotConnect` means it certainly did not.
enum class TransportError {
    none,
    couldNotConnect,  // DNS or TCP connect failed: the request was not sent
    timeout,          // no complete answer in time: the outcome is unknown
    connectionLost,   // reset or closed mid-exchange: the outcome is unknown
    aborted,          // the abort flag was raised
    other,            // TLS, malformed answer...: treat the outcome as unknown
};

const char* toString(TransportError error);

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
    std::chrono::milliseconds timeout{60000};
    // False for a request that must not be sent twice (creating a row): it then goes out on a
    // fresh connection, because libcurl silently resends a request whose reused connection
    // died before any answer, even when the server had already acted on it.
    bool idempotent = true;
};

struct HttpResponse {
    TransportError error = TransportError::none;
    std::string errorMessage;  // for logs; never holds request headers
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-case; the last value wins
    std::string body;

    bool answered() const { return error == TransportError::none; }
    std::string header(const std::string& lowerName) const;
};

class HttpClient {
  public:
    // `abortFlag` (optional) is polled during a request; it must outlive the client.
    explicit HttpClient(const std::atomic<bool>* abortFlag = nullptr);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResponse send(const HttpRequest& request);

    static constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;

  private:
    CurlGlobal global_;
    CURL* handle_ = nullptr;
    const std::atomic<bool>* abortFlag_;
};

}  // namespace fp::sinks
