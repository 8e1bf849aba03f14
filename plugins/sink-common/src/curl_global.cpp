#include "curl_global.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace fp::sinks {
namespace {
std::mutex& globalMutex() {
    static std::mutex mutex;
    return mutex;
}
int holders = 0;
}  // namespace

CurlGlobal::CurlGlobal() {
    std::lock_guard<std::mutex> lock(globalMutex());
    if (holders == 0) {
        const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
        if (code != CURLE_OK) {
            throw std::runtime_error(std::string("libcurl could not be initialised: ") +
                                     curl_easy_strerror(code));
        }
    }
    ++holders;
}

CurlGlobal::~CurlGlobal() {
    std::lock_guard<std::mutex> lock(globalMutex());
    if (--holders == 0)
        curl_global_cleanup();
}

}  // namespace fp::sinks
