#include "http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace fp::sinks {
namespace {

struct Exchange {
    HttpResponse* response;
    const std::atomic<bool>* abortFlag;
    bool tooLarge = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    if (exchange->response->body.size() + n > HttpClient::kMaxBodyBytes) {
        exchange->tooLarge = true;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    exchange->response->body.append(data, n);
    return n;
}

std::string trim(std::string text) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    return text;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t n = size * count;
    const std::string line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        exchange->response->headers.clear();  // a new response (after 100 Continue...)
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos)
        return n;
    std::string name = trim(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    exchange->response->headers[name] = trim(line.substr(colon + 1));
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* exchange = static_cast<Exchange*>(user);
    return exchange->abortFlag != nullptr && exchange->abortFlag->load() ? 1 : 0;
}

TransportError classify(CURLcode code) {
    switch (code) {
        case CURLE_OK:
            return TransportError::none;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            return TransportError::couldNotConnect;
        case CURLE_OPERATION_TIMEDOUT:
            return TransportError::timeout;
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
            return TransportError::connectionLost;
        case CURLE_ABORTED_BY_CALLBACK:
            return TransportError::aborted;
        default:
            return TransportError::other;
    }
}

struct HeaderList {
    curl_slist* list = nullptr;
    ~HeaderList() { curl_slist_free_all(list); }
    void add(const std::string& header) {
        curl_slist* next = curl_slist_append(list, header.c_str());
        if (next == nullptr)
            throw std::bad_alloc();
        list = next;
    }
};

}  // namespace

const char* toString(TransportError error) {
    switch (error) {
        case TransportError::none:
            return "none";
        case TransportError::couldNotConnect:
            return "could not connect";
        case TransportError::timeout:
            return "timed out";
        case TransportError::connectionLost:
            return "connection lost";
        case TransportError::aborted:
            return "aborted";
        case TransportError::other:
            return "transport error";
    }
    return "transport error";
}

std::string HttpResponse::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(const std::atomic<bool>* abortFlag) : abortFlag_(abortFlag) {
    handle_ = curl_easy_init();
    if (handle_ == nullptr)
        throw std::runtime_error("libcurl could not make an easy handle");
}

HttpClient::~HttpClient() {
    curl_easy_cleanup(handle_);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
    HttpResponse response;
    Exchange exchange{&response, abortFlag_};
    if (abortFlag_ != nullptr && abortFlag_->load()) {
        response.error = TransportError::aborted;
        response.errorMessage = "aborted before sending";
        return response;
    }
    char errorBuffer[CURL_ERROR_SIZE] = {0};
    HeaderList headers;
    for (const auto& header : request.headers)
        headers.add(header);
    headers.add("Expect:");  // no 100-continue round trip

    CURL* h = handle_;
    curl_easy_reset(h);  // keeps the connection cache
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (!request.idempotent)
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    const long timeoutMs = static_cast<long>(std::max<std::int64_t>(1, request.timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeoutMs);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeoutMs, 10000L));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &onBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &onHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &exchange);
    if (request.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST")
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
    }

    const CURLcode code = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) {
        response.error = exchange.tooLarge ? TransportError::other : classify(code);
        response.errorMessage = exchange.tooLarge        ? "answer larger than 16 MiB"
                                : errorBuffer[0] != '\0' ? std::string(errorBuffer)
                                                         : std::string(curl_easy_strerror(code));
        response.status = 0;
        return response;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace fp::sinks
