#include "tls_client.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace fp::plugins::redis {
namespace {
bool isIpAddress(const std::string& host) {
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// A file named by an option must be there and readable before OpenSSL is asked (its own
// messages do not say which file).
void requireReadable(const std::string& option, const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::invalid_argument(option + ": cannot read " + path + ": " + std::strerror(errno));
}

std::string describeVerifyError(long result, const std::string& name, const TlsOptions& options) {
    const std::string text = X509_verify_cert_error_string(result);
    switch (result) {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            return "the server's certificate has expired";
        case X509_V_ERR_CERT_NOT_YET_VALID:
            return "the server's certificate is not valid yet (check the clocks)";
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
            return "name mismatch: the server's certificate is not for '" + name + "' (" + text +
                   "; tlsServerName sets the name to check, e.g. when connecting by IP address)";
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
            return "the server's certificate is not signed by a trusted CA (" + text +
                   "; trusted: " +
                   (options.caFile.empty() ? std::string("the system's CA store, or set tlsCaFile")
                                           : "tlsCaFile " + options.caFile) +
                   ")";
        default:
            return text;
    }
}
}  // namespace

std::string takeOpenSslError() {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return {};
    const char* reason = ERR_reason_error_string(code);
    if (reason != nullptr)
        return reason;
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    return buffer;
}

TlsClient::TlsClient(TlsOptions options) : options_(std::move(options)) {
    if (options_.certFile.empty() != options_.keyFile.empty())
        throw std::invalid_argument(
            "tlsCertFile and tlsKeyFile: a client certificate needs both, or neither");
    if (!options_.caFile.empty())
        requireReadable("tlsCaFile", options_.caFile);
    if (!options_.certFile.empty()) {
        requireReadable("tlsCertFile", options_.certFile);
        requireReadable("tlsKeyFile", options_.keyFile);
    }
    ERR_clear_error();
    context_ = SSL_CTX_new(TLS_client_method());
    if (context_ == nullptr)
        throw std::runtime_error("TLS: cannot make an OpenSSL context: " + takeOpenSslError());
    try {
        SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
        SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
        // A server that vanishes without close_notify (killed, restarted) is a closed
        // connection like any other, not a protocol error.
        SSL_CTX_set_options(context_, SSL_OP_IGNORE_UNEXPECTED_EOF);
        // Non-blocking writes: partial writes, and a retry may pass the same bytes again.
        SSL_CTX_set_mode(context_,
                         SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        // Take whatever has arrived in one read, not a record's header and body apart.
        SSL_CTX_set_read_ahead(context_, 1);
        if (options_.caFile.empty()) {
            if (SSL_CTX_set_default_verify_paths(context_) != 1)
                throw std::invalid_argument("TLS: cannot load the system's CA store: " +
                                            takeOpenSslError());
        } else if (SSL_CTX_load_verify_locations(context_, options_.caFile.c_str(), nullptr) != 1) {
            throw std::invalid_argument("tlsCaFile: " + options_.caFile +
                                        " holds no PEM certificate (" + takeOpenSslError() + ")");
        }
        if (!options_.certFile.empty()) {
            if (SSL_CTX_use_certificate_chain_file(context_, options_.certFile.c_str()) != 1)
                throw std::invalid_argument("tlsCertFile: " + options_.certFile +
                                            " holds no PEM certificate (" + takeOpenSslError() +
                                            ")");
            if (SSL_CTX_use_PrivateKey_file(context_, options_.keyFile.c_str(), SSL_FILETYPE_PEM) !=
                    1 ||
                SSL_CTX_check_private_key(context_) != 1) {
                const std::string reason = takeOpenSslError();
                if (reason.find("mismatch") != std::string::npos || reason.empty())
                    throw std::invalid_argument("tlsKeyFile: " + options_.keyFile +
                                                " is not the key of tlsCertFile " +
                                                options_.certFile);
                throw std::invalid_argument("tlsKeyFile: " + options_.keyFile +
                                            " holds no PEM private key (" + reason + ")");
            }
        }
    } catch (...) {
        SSL_CTX_free(context_);
        ERR_clear_error();
        throw;
    }
}

TlsClient::~TlsClient() {
    SSL_CTX_free(context_);
}

std::string TlsClient::nameFor(const std::string& host) const {
    return options_.serverName.empty() ? host : options_.serverName;
}

SSL* TlsClient::newSession(const std::string& host, std::string& error) const {
    ERR_clear_error();
    SSL* session = SSL_new(context_);
    if (session == nullptr) {
        error = "TLS: cannot make a session: " + takeOpenSslError();
        return nullptr;
    }
    const std::string name = nameFor(host);
    X509_VERIFY_PARAM* param = SSL_get0_param(session);
    bool ok = true;
    if (isIpAddress(name)) {
        // No SNI for an address (RFC 6066); the certificate must list it as an IP SAN.
        ok = X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) == 1;
    } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = SSL_set_tlsext_host_name(session, name.c_str()) == 1 &&
             X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) == 1;
    }
    if (!ok) {
        error = "TLS: cannot use '" + name + "' as the server name: " + takeOpenSslError();
        SSL_free(session);
        return nullptr;
    }
    return session;
}

std::string TlsClient::handshakeFailure(SSL* session, const std::string& host, int sslError,
                                        int savedErrno) const {
    const long verified = SSL_get_verify_result(session);
    const std::string reason = takeOpenSslError();
    if (verified != X509_V_OK)
        return "certificate verification failed: " +
               describeVerifyError(verified, nameFor(host), options_);
    if (reason.empty()) {
        if (sslError == SSL_ERROR_SYSCALL && savedErrno != 0)
            return std::strerror(savedErrno);
        return "the server closed the connection during the handshake";
    }
    return withTlsHint(reason);
}

std::string withTlsHint(const std::string& reason) {
    if (reason.find("wrong version number") != std::string::npos ||
        reason.find("packet length too long") != std::string::npos)
        return reason + " (is it a TLS port? a plain one answers this way: use redis://)";
    if (reason.find("certificate required") != std::string::npos ||
        reason.find("handshake failure") != std::string::npos)
        return reason +
               " (does the server ask for a client certificate? set tlsCertFile and tlsKeyFile)";
    return reason;
}

}  // namespace fp::plugins::redis
