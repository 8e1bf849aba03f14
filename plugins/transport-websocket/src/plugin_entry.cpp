// The plugin's exported entry points: ABI version, manifest, factory.
#include "firepoker/sdk/export.hpp"
#include "transport_options.hpp"
#include "websocket_transport.hpp"

namespace {

fp::sdk::Manifest makeManifest() {
    fp::sdk::Manifest manifest;
    manifest.name = "transport-websocket";
    manifest.version = "0.1.0";
    manifest.description =
        "HTTP and WebSocket (RFC 6455) transport: POCO HTTPServer for HTTP and the handshake, "
        "epoll event loops for the upgraded connections";
    manifest.options = fp::websocket::transportOptionSpecs();
    return manifest;
}

}  // namespace

FIREPOKER_PLUGIN(fp::websocket::WebSocketTransport, makeManifest)
