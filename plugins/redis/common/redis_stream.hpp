// The bytes of one connection to Redis: a TCP socket, with a TLS session over it for
// rediss://. Plain and TLS differ only in how one read or one write is tried (recv/send, or
// SSL_read/SSL_write whose BIO uses the same recv/send); connecting, waiting and error
// reporting are shared. Every wait is bounded: a connect and a handshake by the connect
// deadline, a write and a read by the read timeout (a plain read waits in recv() with
// SO_RCVTIMEO, as hiredis does; the rest waits in poll()). Not thread-safe: one thread at a
// time.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "tls_client.hpp"

namespace fp::plugins::redis {

class RedisStream {
  public:
    using Clock = std::chrono::steady_clock;
    enum class Result {
        ok,
        timedOut,  // the deadline passed first
        closed,    // the server closed the connection
        failed,    // an I/O or TLS error; `error` says which
    };

    RedisStream() = default;
    ~RedisStream();
    RedisStream(const RedisStream&) = delete;
    RedisStream& operator=(const RedisStream&) = delete;

    // TCP to each address `host` resolves to in turn, then, with `tls`, the handshake (SNI,
    // certificate and name verified), all by `deadline`. Not ok: `error` says why (without
    // the address) and the stream is closed. `readTimeout` bounds each later read.
    Result connect(const std::string& host, int port, const TlsClient* tls,
                   Clock::time_point deadline, std::chrono::milliseconds readTimeout,
                   std::string& error);
    bool isOpen() const { return fd_ >= 0; }
    bool isTls() const { return session_ != nullptr; }
    int fd() const { return fd_; }
    void close();

    // Writes all of `data` by `deadline`.
    Result write(const char* data, std::size_t size, Clock::time_point deadline,
                 std::string& error);
    // Reads what has arrived into `buffer` (`got` > 0), waiting for something up to the
    // read timeout.
    Result read(char* buffer, std::size_t capacity, std::size_t& got, std::string& error);
    // The same without waiting: ok with `got` 0 when nothing is there (bytes that were only
    // TLS housekeeping, such as session tickets, count as nothing).
    Result readAvailable(char* buffer, std::size_t capacity, std::size_t& got, std::string& error);
    // For an idle connection, without waiting: true when the server closed it (or sent
    // something unasked, so it is out of step); what was there is dropped.
    bool idleClosed();
    // The TLS session holds bytes read from the socket but not returned yet (poll() on the
    // socket does not see them).
    bool sessionHasBytes() const;

  private:
    enum class Want { nothing, read, write };
    // One try without waiting: ok with `moved` > 0, or ok with `moved` 0 and `want` set
    // when it must wait for the socket; closed or failed otherwise.
    Result tryRead(char* buffer, std::size_t capacity, std::size_t& moved, Want& want,
                   std::string& error);
    Result tryWrite(const char* data, std::size_t size, std::size_t& moved, Want& want,
                    std::string& error);
    // Until the socket is ready for `want`: ok, or timedOut at `deadline` (no wait when it
    // passed already), or failed.
    Result waitFor(Want want, Clock::time_point deadline, std::string& error);
    Result connectTcp(const std::string& host, int port, Clock::time_point deadline,
                      std::string& error);
    Result handshake(const TlsClient& tls, const std::string& host, Clock::time_point deadline,
                     std::string& error);
    int fd_ = -1;
    std::chrono::milliseconds readTimeout_{1000};
    SSL* session_ = nullptr;
    bool sessionHealthy_ = false;  // handshake done and no fatal error since (close_notify)
};

}  // namespace fp::plugins::redis
