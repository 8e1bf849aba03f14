// The TLS side of a rediss:// connection (OpenSSL): one context per plugin, made from the tls*
// options, shared by all its connections. The server's certificate is verified against the
// system's CA store or `tlsCaFile`, and must name the host connected to (or `tlsServerName`);
// TLS 1.2 at least. Sessions are made here; the bytes move through RedisStream.
#pragma once

#include <memory>
#include <string>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace fp::plugins::redis {

struct TlsOptions {
    std::string caFile;      // PEM CA certificates; empty = the system's CA store
    std::string serverName;  // the name the certificate must carry; empty = the host connected to
    std::string certFile;    // client certificate (PEM chain), for servers that ask for one
    std::string keyFile;     // ... and its key; both or neither

    bool any() const {
        return !caFile.empty() || !serverName.empty() || !certFile.empty() || !keyFile.empty();
    }
};

class TlsClient {
  public:
    // Loads the CA store and the client certificate. Throws std::invalid_argument naming the
    // option and the file (missing, unreadable, no PEM certificate, key not matching).
    explicit TlsClient(TlsOptions options);
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    // A session for one connection to `host`: SNI (for a name, not an IP address) and the
    // name or address the certificate must match. Null with `error` when OpenSSL refused.
    SSL* newSession(const std::string& host, std::string& error) const;
    // The name a connection to `host` verifies: tlsServerName, else `host`.
    std::string nameFor(const std::string& host) const;
    // Why a handshake failed, in words: the verification error (expired, name mismatch,
    // unknown CA with where the CAs came from) or OpenSSL's reason, with a hint when the
    // usual cause is known. `sslError` is SSL_get_error's answer, `savedErrno` errno then.
    std::string handshakeFailure(SSL* session, const std::string& host, int sslError,
                                 int savedErrno) const;
    const TlsOptions& options() const { return options_; }

  private:
    TlsOptions options_;
    SSL_CTX* context_ = nullptr;
};

// The first error on this thread's OpenSSL error queue, as text ("" when none); clears it.
std::string takeOpenSslError();
// An OpenSSL reason with a hint at its usual cause (a plain port, a client certificate
// asked for), else the reason alone.
std::string withTlsHint(const std::string& reason);

}  // namespace fp::plugins::redis
