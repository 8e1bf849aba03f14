#include "upgrade_handler.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "admission_control.hpp"
#include "handshake.hpp"
#include "http_responses.hpp"

namespace fp::websocket {
namespace {

// Every X-Forwarded-For header of the request, joined in order, as one header would be (POCO
// keeps headers of the same name next to each other, in arrival order).
std::string forwardedFor(const Poco::Net::HTTPServerRequest& request) {
    std::string joined;
    for (auto it = request.find("X-Forwarded-For"); it != request.end(); ++it) {
        if (Poco::icompare(it->first, "X-Forwarded-For") != 0)
            break;
        if (!joined.empty())
            joined += ", ";
        joined += it->second;
    }
    return joined;
}

// Takes the upgraded socket away from POCO: its own descriptor (POCO closes its copy when
// the HTTP connection object goes) in non-blocking mode, plus the bytes POCO's session had
// already buffered past the request (a client may send its first frame right away).
int detachUpgradedSocket(Poco::Net::HTTPServerRequest& request, std::string& initialBytes) {
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Buffer<char> buffered(0);
    impl.session().drainBuffer(buffered);
    initialBytes.assign(buffered.begin(), buffered.size());
    Poco::Net::StreamSocket socket = impl.detachSocket();
    const int original = socket.impl()->sockfd();
    const int fd = ::fcntl(original, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot duplicate the upgraded socket");
    }
    // POCO's connection object keeps `original` until its thread has finished, and a server
    // stop shuts down the sockets of the connections still alive: a shutdown() there would cut
    // the adopted connection too (both descriptors share one socket). Point that number at an
    // unconnected socket instead, atomically; POCO closes it as it would have closed its own.
    const int inert = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (inert >= 0) {
        ::dup2(inert, original);
        ::close(inert);
    }
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        const int error = errno;
        ::close(fd);
        throw std::system_error(error, std::generic_category(),
                                "cannot make the upgraded socket non-blocking");
    }
    const int one = 1;  // small frames should leave at once
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

}  // namespace

void UpgradeHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response) {
    if (!services_->accepting->load()) {
        sendPlainText(request, response, 503, "server is shutting down");
        return;
    }
    UpgradeRequestHeaders headers;
    headers.method = request.getMethod();
    headers.upgrade = request.get("Upgrade", "");
    headers.connection = request.get("Connection", "");
    headers.version = request.get("Sec-WebSocket-Version", "");
    headers.key = request.get("Sec-WebSocket-Key", "");
    const HandshakeVerdict verdict = checkUpgradeRequest(headers);
    if (!verdict.ok) {
        if (verdict.status == 426) {
            response.set("Upgrade", "websocket");
            response.set("Sec-WebSocket-Version", "13");
        }
        if (verdict.status == 405)
            response.set("Allow", "GET");
        sendPlainText(request, response, verdict.status, verdict.message);
        return;
    }

    sdk::ConnectionInfo info;
    info.remoteAddress = request.clientAddress().toString();
    info.origin = request.get("Origin", "");
    info.host = request.get("Host", "");
    info.path = request.getURI();

    // The slot is taken before the host is asked, and given back (by going out of scope) on
    // every path that does not end in an open connection.
    // A TCP peer is always an IPv4 or IPv6 address; the fallback (0.0.0.0, no forwarding) only
    // keeps this total.
    const std::string proxied = forwardedFor(request);
    const auto peer = IpAddress::parse(request.clientAddress().host().toString());
    const ClientAddress client = services_->admission->clientOf(
        peer.value_or(IpAddress{}), peer ? std::string_view(proxied) : std::string_view());
    info.clientAddress = client.address.toString();
    auto slot = services_->admission->admit(client);
    if (!slot) {
        const std::string refusal = services_->admission->refusal(client, !proxied.empty());
        services_->logger->warn("refused a WebSocket upgrade: " + refusal);
        sendPlainText(request, response, 429, refusal);
        return;
    }

    std::string refusal;
    if (!services_->host->acceptConnection(info, refusal)) {
        services_->logger->debug("WebSocket upgrade from " + info.clientAddress +
                                 " refused: " + refusal);
        sendPlainText(request, response, 403, refusal.empty() ? "forbidden" : refusal);
        return;
    }

    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    response.set("Upgrade", "websocket");
    response.set("Connection", "Upgrade");
    response.set("Sec-WebSocket-Accept", computeAcceptKey(headers.key));
    response.setContentLength(Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH);
    response.send().flush();

    std::string initialBytes;
    int fd = -1;
    try {
        fd = detachUpgradedSocket(request, initialBytes);
    } catch (const std::exception& e) {
        services_->logger->error("WebSocket upgrade from " + info.clientAddress +
                                 " failed after 101: " + e.what());
        return;
    }
    services_->adoptSocket(fd, std::move(info), std::move(initialBytes), std::move(*slot));
}

}  // namespace fp::websocket
