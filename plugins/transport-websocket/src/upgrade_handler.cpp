#include "upgrade_handler.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "handshake.hpp"
#include "http_responses.hpp"

namespace fp::websocket {
namespace {

// Takes the upgraded socket away from POCO: its own descriptor (POCO closes its copy when
// the HTTP connection object goes) in non-blocking mode, plus the bytes POCO's session had
// already buffered past the request (a client may send its first frame right away).
int detachUpgradedSocket(Poco::Net::HTTPServerRequest& request, std::string& initialBytes) {
    auto& impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Buffer<char> buffered(0);
    impl.session().drainBuffer(buffered);
    initialBytes.assign(buffered.begin(), buffered.size());
    Poco::Net::StreamSocket socket = impl.detachSocket();
    const int fd = ::fcntl(socket.impl()->sockfd(), F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot duplicate the upgraded socket");
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
    std::string refusal;
    if (!services_->host->acceptConnection(info, refusal)) {
        services_->logger->debug("WebSocket upgrade from " + info.remoteAddress +
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
        services_->logger->error("WebSocket upgrade from " + info.remoteAddress +
                                 " failed after 101: " + e.what());
        return;
    }
    services_->adoptSocket(fd, std::move(info), std::move(initialBytes));
}

}  // namespace fp::websocket
