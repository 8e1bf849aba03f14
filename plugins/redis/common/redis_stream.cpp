#include "redis_stream.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>

namespace fp::plugins::redis {
namespace {
using Clock = RedisStream::Clock;

bool wouldBlock(int error) {
    return error == EAGAIN || error == EWOULDBLOCK || error == EINTR;
}

// The two socket calls every byte goes through, plain or TLS. The socket is blocking with
// SO_RCVTIMEO, so a plain read can wait in the kernel (one call per answer, as hiredis);
// every other call passes MSG_DONTWAIT and waits, if it must, in poll(). MSG_NOSIGNAL: a
// write to a connection the server reset is an error here, never a SIGPIPE for the process.
long sendSome(int fd, const char* data, std::size_t size) {
    return static_cast<long>(::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT));
}
long receiveSome(int fd, char* buffer, std::size_t size, bool wait = false) {
    return static_cast<long>(::recv(fd, buffer, size, wait ? 0 : MSG_DONTWAIT));
}

// A BIO that hands OpenSSL's records to sendSome/receiveSome on the stream's socket.
int bioWrite(BIO* bio, const char* data, int size) {
    BIO_clear_retry_flags(bio);
    const long sent = sendSome(static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))),
                               data, static_cast<std::size_t>(size));
    if (sent < 0 && wouldBlock(errno))
        BIO_set_retry_write(bio);
    return static_cast<int>(sent);
}
int bioRead(BIO* bio, char* buffer, int size) {
    BIO_clear_retry_flags(bio);
    const long got =
        receiveSome(static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio))), buffer,
                    static_cast<std::size_t>(size));
    if (got < 0 && wouldBlock(errno))
        BIO_set_retry_read(bio);
    return static_cast<int>(got);
}
long bioControl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) {
    // Nothing is buffered in this BIO: a flush is always done; nothing else is supported.
    return command == BIO_CTRL_FLUSH ? 1 : 0;
}
int bioCreate(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

struct BioMethodDeleter {
    void operator()(BIO_METHOD* method) const { BIO_meth_free(method); }
};

BIO_METHOD* socketBioMethod() {
    static const std::unique_ptr<BIO_METHOD, BioMethodDeleter> method = [] {
        BIO_METHOD* m =
            BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "fire-poker redis socket");
        if (m != nullptr) {
            BIO_meth_set_write(m, bioWrite);
            BIO_meth_set_read(m, bioRead);
            BIO_meth_set_ctrl(m, bioControl);
            BIO_meth_set_create(m, bioCreate);
        }
        return std::unique_ptr<BIO_METHOD, BioMethodDeleter>(m);
    }();
    return method.get();
}

// Blocking from here on, with reads bounded by `readTimeout` (see sendSome).
void setSocketOptions(int fd, std::chrono::milliseconds readTimeout) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(readTimeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>((readTimeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    // Keepalive as hiredis sets it: a peer that vanished is noticed in about 30 s.
    const int idle = 15, interval = 5, count = 3;
    ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
}

std::string describeErrno(int error) {
    return std::strerror(error);
}

// A failed socket call: a reset or a broken pipe is the server closing on us.
RedisStream::Result socketFailure(int code, std::string& error) {
    error = describeErrno(code);
    return code == ECONNRESET || code == EPIPE ? RedisStream::Result::closed
                                               : RedisStream::Result::failed;
}
}  // namespace

RedisStream::~RedisStream() {
    close();
}

void RedisStream::close() {
    if (session_ != nullptr) {
        if (sessionHealthy_) {
            ERR_clear_error();
            SSL_shutdown(session_);  // one try at close_notify, no wait
        }
        SSL_free(session_);  // frees its BIO too
        session_ = nullptr;
        sessionHealthy_ = false;
        ERR_clear_error();
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RedisStream::Result RedisStream::waitFor(Want want, Clock::time_point deadline,
                                         std::string& error) {
    pollfd p{};
    p.fd = fd_;
    p.events = want == Want::write ? POLLOUT : POLLIN;
    for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        const int ready = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
        if (ready > 0)
            return Result::ok;  // readable, writable, or an error the next try reports
        if (ready < 0 && errno != EINTR) {
            error = describeErrno(errno);
            return Result::failed;
        }
        if (ready == 0 && left <= 0)
            return Result::timedOut;
    }
}

RedisStream::Result RedisStream::connectTcp(const std::string& host, int port,
                                            Clock::time_point deadline, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int resolved = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (resolved != 0) {
        error = "cannot resolve " + host + ": " + ::gai_strerror(resolved);
        return Result::failed;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, ::freeaddrinfo);
    Result result = Result::failed;
    error = "no address for " + host;
    for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
        fd_ = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd_ < 0) {
            error = describeErrno(errno);
            continue;
        }
        int connectError = 0;
        if (::connect(fd_, a->ai_addr, a->ai_addrlen) != 0) {
            connectError = errno;
            if (connectError == EINPROGRESS) {
                result = waitFor(Want::write, deadline, error);
                if (result == Result::timedOut) {
                    close();
                    return result;  // no time left for the next address either
                }
                socklen_t length = sizeof(connectError);
                if (result == Result::ok &&
                    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &connectError, &length) != 0)
                    connectError = errno;
            }
        }
        if (connectError == 0) {
            setSocketOptions(fd_, readTimeout_);
            return Result::ok;
        }
        error = describeErrno(connectError);
        result = Result::failed;
        close();
    }
    return result;
}

RedisStream::Result RedisStream::handshake(const TlsClient& tls, const std::string& host,
                                           Clock::time_point deadline, std::string& error) {
    session_ = tls.newSession(host, error);
    if (session_ == nullptr)
        return Result::failed;
    BIO* bio = BIO_new(socketBioMethod());
    if (bio == nullptr) {
        error = "TLS: cannot make a BIO: " + takeOpenSslError();
        return Result::failed;
    }
    BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd_)));
    SSL_set_bio(session_, bio, bio);  // the session owns it now
    for (;;) {
        ERR_clear_error();
        const int done = SSL_connect(session_);
        if (done == 1) {
            sessionHealthy_ = true;
            return Result::ok;
        }
        const int savedErrno = errno;
        const int why = SSL_get_error(session_, done);
        Want want = Want::nothing;
        if (why == SSL_ERROR_WANT_READ)
            want = Want::read;
        else if (why == SSL_ERROR_WANT_WRITE)
            want = Want::write;
        if (want == Want::nothing) {
            error = "TLS handshake with '" + tls.nameFor(host) +
                    "' failed: " + tls.handshakeFailure(session_, host, why, savedErrno);
            return Result::failed;
        }
        const Result waited = waitFor(want, deadline, error);
        if (waited != Result::ok) {
            if (waited == Result::timedOut)
                error = "TLS handshake with '" + tls.nameFor(host) + "'";
            return waited;
        }
    }
}

RedisStream::Result RedisStream::connect(const std::string& host, int port, const TlsClient* tls,
                                         Clock::time_point deadline,
                                         std::chrono::milliseconds readTimeout,
                                         std::string& error) {
    close();
    readTimeout_ = readTimeout;
    Result result = connectTcp(host, port, deadline, error);
    if (result == Result::ok && tls != nullptr)
        result = handshake(*tls, host, deadline, error);
    if (result != Result::ok)
        close();
    return result;
}

bool RedisStream::sessionHasBytes() const {
    return session_ != nullptr && SSL_has_pending(session_) == 1;
}

RedisStream::Result RedisStream::tryRead(char* buffer, std::size_t capacity, std::size_t& moved,
                                         Want& want, std::string& error) {
    moved = 0;
    want = Want::nothing;
    if (session_ == nullptr) {
        const long got = receiveSome(fd_, buffer, capacity);
        if (got > 0) {
            moved = static_cast<std::size_t>(got);
            return Result::ok;
        }
        if (got == 0)
            return Result::closed;
        if (wouldBlock(errno)) {
            want = Want::read;
            return Result::ok;
        }
        return socketFailure(errno, error);
    }
    ERR_clear_error();
    const int got = SSL_read(session_, buffer, static_cast<int>(capacity));
    if (got > 0) {
        moved = static_cast<std::size_t>(got);
        return Result::ok;
    }
    const int savedErrno = errno;
    switch (SSL_get_error(session_, got)) {
        case SSL_ERROR_WANT_READ:
            want = Want::read;
            return Result::ok;
        case SSL_ERROR_WANT_WRITE:
            want = Want::write;
            return Result::ok;
        case SSL_ERROR_ZERO_RETURN:
            sessionHealthy_ = false;
            return Result::closed;
        case SSL_ERROR_SYSCALL:
            sessionHealthy_ = false;
            if (savedErrno == 0)
                return Result::closed;
            return socketFailure(savedErrno, error);
        default:
            sessionHealthy_ = false;
            error = "TLS: " + withTlsHint(takeOpenSslError());
            return Result::failed;
    }
}

RedisStream::Result RedisStream::tryWrite(const char* data, std::size_t size, std::size_t& moved,
                                          Want& want, std::string& error) {
    moved = 0;
    want = Want::nothing;
    if (session_ == nullptr) {
        const long sent = sendSome(fd_, data, size);
        if (sent >= 0) {
            moved = static_cast<std::size_t>(sent);
            if (sent == 0)
                want = Want::write;
            return Result::ok;
        }
        if (wouldBlock(errno)) {
            want = Want::write;
            return Result::ok;
        }
        return socketFailure(errno, error);
    }
    ERR_clear_error();
    const int sent = SSL_write(session_, data, static_cast<int>(size));
    if (sent > 0) {
        moved = static_cast<std::size_t>(sent);
        return Result::ok;
    }
    const int savedErrno = errno;
    switch (SSL_get_error(session_, sent)) {
        case SSL_ERROR_WANT_READ:
            want = Want::read;
            return Result::ok;
        case SSL_ERROR_WANT_WRITE:
            want = Want::write;
            return Result::ok;
        case SSL_ERROR_ZERO_RETURN:
            sessionHealthy_ = false;
            return Result::closed;
        case SSL_ERROR_SYSCALL:
            sessionHealthy_ = false;
            if (savedErrno == 0)
                return Result::closed;
            return socketFailure(savedErrno, error);
        default:
            sessionHealthy_ = false;
            error = "TLS: " + withTlsHint(takeOpenSslError());
            return Result::failed;
    }
}

RedisStream::Result RedisStream::write(const char* data, std::size_t size,
                                       Clock::time_point deadline, std::string& error) {
    if (fd_ < 0) {
        error = "not connected";
        return Result::failed;
    }
    std::size_t done = 0;
    while (done < size) {
        std::size_t moved = 0;
        Want want = Want::nothing;
        const Result tried = tryWrite(data + done, size - done, moved, want, error);
        if (tried != Result::ok)
            return tried;
        done += moved;
        if (done < size && want != Want::nothing) {
            const Result waited = waitFor(want, deadline, error);
            if (waited != Result::ok)
                return waited;
        }
    }
    return Result::ok;
}

RedisStream::Result RedisStream::read(char* buffer, std::size_t capacity, std::size_t& got,
                                      std::string& error) {
    got = 0;
    if (fd_ < 0) {
        error = "not connected";
        return Result::failed;
    }
    if (session_ == nullptr) {
        // The kernel waits, up to SO_RCVTIMEO (readTimeout): one call per answer.
        for (;;) {
            const long n = receiveSome(fd_, buffer, capacity, true);
            if (n > 0) {
                got = static_cast<std::size_t>(n);
                return Result::ok;
            }
            if (n == 0)
                return Result::closed;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return Result::timedOut;
            return socketFailure(errno, error);
        }
    }
    // TLS: OpenSSL may hold bytes already; else wait in poll() until something arrives.
    const auto deadline = Clock::now() + readTimeout_;
    Want want = sessionHasBytes() ? Want::nothing : Want::read;
    for (;;) {
        if (want != Want::nothing) {
            const Result waited = waitFor(want, deadline, error);
            if (waited != Result::ok)
                return waited;
        }
        const Result tried = tryRead(buffer, capacity, got, want, error);
        if (tried != Result::ok || got > 0)
            return tried;
    }
}

RedisStream::Result RedisStream::readAvailable(char* buffer, std::size_t capacity, std::size_t& got,
                                               std::string& error) {
    got = 0;
    if (fd_ < 0) {
        error = "not connected";
        return Result::failed;
    }
    Want want = Want::nothing;
    // Nothing there (or only TLS housekeeping): ok with got 0. A TLS read that must write
    // first (rare) is tried again on the next call.
    return tryRead(buffer, capacity, got, want, error);
}

bool RedisStream::idleClosed() {
    if (fd_ < 0)
        return true;
    pollfd p{};
    p.fd = fd_;
    p.events = POLLIN;
    // An idle connection has nothing to read: readable means EOF, a reset, or (TLS) a late
    // session ticket, which a read without waiting takes in.
    if (!sessionHasBytes() && ::poll(&p, 1, 0) <= 0)
        return false;
    char scratch[512];
    std::size_t got = 0;
    std::string ignored;
    const Result result = readAvailable(scratch, sizeof(scratch), got, ignored);
    return result != Result::ok || got > 0;
}

}  // namespace fp::plugins::redis
