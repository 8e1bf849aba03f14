// The WebSocket transport's parsers of untrusted network input. The first byte picks one
// ('0'..'4' in the seeds, any byte modulo 5):
//   0  raw bytes from a client through the frame decoder, fed whole, byte by byte and in
//      chunks of input-derived sizes: the events must not depend on the split, and every
//      event must be one the decoder may deliver (valid UTF-8 text within the limit...);
//   1  a script of client messages (text in fragments, ping, pong, close) encoded with the
//      codec and decoded again, in chunks: exactly the modelled events must come out;
//   2  the incremental UTF-8 validator against a straightforward reference decoder;
//   3  an HTTP request head: the pre-accept summary (CRLF or LF alike), the upgrade checks on
//      its headers, the accept key, and the client address from its X-Forwarded-For;
//   4  "trusted proxies\npeer\nX-Forwarded-For": address parsing (round trip through
//      toString), the trusted list, the resolved client, and a raw sockaddr.
// A broken invariant aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "client_address.hpp"
#include "frame_codec.hpp"
#include "frame_decoder.hpp"
#include "handshake.hpp"
#include "request_head.hpp"
#include "utf8_validator.hpp"

namespace {
using namespace fp::websocket;
using Kind = DecodedEvent::Kind;

void check(bool condition) {
    if (!condition)
        __builtin_trap();
}

// A tiny deterministic generator for the chunk sizes, seeded from the input.
struct Rng {
    std::uint32_t state;
    std::uint32_t next() {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    }
};

std::vector<std::size_t> chunkSizes(std::size_t total, std::uint8_t pattern, std::uint32_t seed) {
    static const std::size_t kSpans[] = {1, 2, 3, 5, 9, 17, 130, 4096};
    const std::size_t span = kSpans[pattern & 7];
    Rng rng{seed | 1u};
    std::vector<std::size_t> sizes;
    for (std::size_t done = 0; done < total;) {
        const std::size_t size = std::min(total - done, 1 + rng.next() % span);
        sizes.push_back(size);
        done += size;
    }
    return sizes;
}

// ---------------------------------------------------------------------------------------------
// UTF-8 reference: the index of the first byte after which the text can no longer be the prefix
// of valid UTF-8 (npos if none), and whether it ends inside a sequence.

struct Utf8Reference {
    std::size_t firstBad = std::string_view::npos;
    bool endsInside = false;
};

// Whether a sequence of `length` bytes whose known leading part gives `known` bits (with
// `missing` continuation bytes still to come) can still be a valid code point.
bool completable(std::uint32_t known, int length, int missing) {
    static const std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    const std::uint32_t lo = known << (6 * missing);
    const std::uint32_t hi = lo | ((1u << (6 * missing)) - 1);
    if (hi < kMin[length] || lo > 0x10FFFF)
        return false;
    return !(lo >= 0xD800 && hi <= 0xDFFF);  // entirely inside the surrogates
}

Utf8Reference referenceUtf8(std::string_view text) {
    Utf8Reference result;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int length = 1;
        std::uint32_t cp = lead;
        if (lead >= 0x80) {
            if ((lead & 0xE0) == 0xC0) {
                length = 2;
                cp = lead & 0x1F;
            } else if ((lead & 0xF0) == 0xE0) {
                length = 3;
                cp = lead & 0x0F;
            } else if ((lead & 0xF8) == 0xF0) {
                length = 4;
                cp = lead & 0x07;
            } else {
                result.firstBad = i;
                return result;
            }
            if (!completable(cp, length, length - 1)) {
                result.firstBad = i;
                return result;
            }
        }
        for (int k = 1; k < length; ++k) {
            if (i + k >= text.size()) {
                result.endsInside = true;
                return result;
            }
            const auto c = static_cast<unsigned char>(text[i + k]);
            cp = (cp << 6) | (c & 0x3F);
            if ((c & 0xC0) != 0x80 || !completable(cp, length, length - 1 - k)) {
                result.firstBad = i + k;
                return result;
            }
        }
        i += length;
    }
    return result;
}

bool referenceValid(std::string_view text) {
    const auto reference = referenceUtf8(text);
    return reference.firstBad == std::string_view::npos && !reference.endsInside;
}

void fuzzUtf8(std::string_view data) {
    const auto reference = referenceUtf8(data);
    check(isValidUtf8(data) == referenceValid(data));

    // Byte by byte it fails exactly at the first byte that cannot be continued, and stays failed.
    Utf8Validator bytewise;
    std::size_t failedAt = std::string_view::npos;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const bool ok = bytewise.feed(data.substr(i, 1));
        if (failedAt == std::string_view::npos && !ok)
            failedAt = i;
        check(ok == (failedAt == std::string_view::npos));
        check(bytewise.failed() == !ok);
    }
    check(failedAt == reference.firstBad);
    check(bytewise.complete() == referenceValid(data));

    // Any split gives the same answer; reset() forgets everything.
    if (data.empty())
        return;
    Utf8Validator chunked;
    chunked.feed("\xC0");
    check(chunked.failed());
    chunked.reset();
    check(chunked.complete());
    bool ok = true;
    std::size_t offset = 0;
    for (std::size_t size : chunkSizes(data.size(), static_cast<std::uint8_t>(data[0]),
                                       static_cast<std::uint32_t>(data.size()))) {
        ok = chunked.feed(data.substr(offset, size)) && ok;
        offset += size;
    }
    check(ok == (reference.firstBad == std::string_view::npos));
    check(chunked.complete() == referenceValid(data));
}

// ---------------------------------------------------------------------------------------------
// Frame decoder.

std::size_t maxMessageFor(std::uint8_t config) {
    static const std::size_t kLimits[] = {0, 1, 3, 16, 125, 126, 65536, 1u << 20};
    return kLimits[config & 7];
}

bool isTerminal(const DecodedEvent& event) {
    return event.kind == Kind::close || event.kind == Kind::protocolError;
}

bool sameEvents(const std::vector<DecodedEvent>& a, const std::vector<DecodedEvent>& b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        // The wording of a protocol error is free; its close code is not.
        if (a[i].kind != b[i].kind || a[i].code != b[i].code ||
            (a[i].kind != Kind::protocolError && a[i].payload != b[i].payload))
            return false;
    }
    return true;
}

struct DecodeRun {
    std::vector<DecodedEvent> events;
    std::uint64_t frames = 0;
    bool stopped = false;
};

DecodeRun decodeInChunks(std::string_view wire, const std::vector<std::size_t>& sizes,
                         std::size_t maxMessage, bool requireMask) {
    DecodeRun run;
    FrameDecoder decoder(maxMessage, requireMask);
    std::size_t offset = 0;
    for (std::size_t size : sizes) {
        const std::size_t before = run.events.size();
        decoder.feed(wire.substr(offset, size), run.events);
        offset += size;
        // Events come only with the last byte of their frame; nothing after a terminal one.
        for (std::size_t i = before; i < run.events.size(); ++i)
            check(!isTerminal(run.events[i]) || i + 1 == run.events.size());
        check(decoder.stopped() == (!run.events.empty() && isTerminal(run.events.back())));
    }
    check(offset == wire.size());
    run.frames = decoder.framesCompleted();
    run.stopped = decoder.stopped();
    return run;
}

void checkEventAllowed(const DecodedEvent& event, std::size_t maxMessage) {
    switch (event.kind) {
        case Kind::text:
            check(event.payload.size() <= maxMessage);
            check(isValidUtf8(event.payload));
            check(event.code == 0);
            break;
        case Kind::ping:
        case Kind::pong:
            check(event.payload.size() <= kMaxControlPayload);
            check(event.code == 0);
            break;
        case Kind::close:
            check(event.payload.size() <= kMaxControlPayload - 2);
            check(isValidUtf8(event.payload));
            check(event.code == closecode::noStatus ? event.payload.empty()
                                                    : isSendableCloseCode(event.code));
            break;
        case Kind::protocolError:
            check(event.code == closecode::protocolError ||
                  event.code == closecode::unsupportedData ||
                  event.code == closecode::invalidPayload ||
                  event.code == closecode::messageTooBig);
            check(!event.payload.empty());
            break;
    }
}

void fuzzRawFrames(std::string_view data) {
    if (data.empty())
        return;
    const auto config = static_cast<std::uint8_t>(data[0]);
    const std::string_view wire = data.substr(1);
    const std::size_t maxMessage = maxMessageFor(config);
    const bool requireMask = (config & 0x08) == 0;

    const DecodeRun whole = decodeInChunks(wire, {wire.size()}, maxMessage, requireMask);
    const DecodeRun bytewise =
        decodeInChunks(wire, std::vector<std::size_t>(wire.size(), 1), maxMessage, requireMask);
    const DecodeRun chunked = decodeInChunks(
        wire, chunkSizes(wire.size(), config >> 4, config * 2654435761u), maxMessage, requireMask);
    for (const DecodeRun* run : {&bytewise, &chunked}) {
        check(sameEvents(run->events, whole.events));
        check(run->frames == whole.frames);
        check(run->stopped == whole.stopped);
    }
    for (const auto& event : whole.events)
        checkEventAllowed(event, maxMessage);
    // Each event is a completed frame (a text message may take several).
    check(whole.frames + 1 >= whole.events.size());
}

// A script of messages, encoded as a client would, must decode to exactly the modelled events.
// Segments are separated by 0xFF (never part of UTF-8); a segment's first byte says what it is.
void fuzzRoundTrip(std::string_view data) {
    if (data.empty())
        return;
    const auto config = static_cast<std::uint8_t>(data[0]);
    const std::size_t maxMessage = maxMessageFor(config);
    const bool masked = (config & 0x08) == 0;
    std::string_view rest = data.substr(1);

    std::string wire;
    std::vector<DecodedEvent> expected;
    std::uint8_t counter = 0;
    auto frame = [&](Opcode op, std::string_view payload, bool fin) {
        ++counter;
        std::optional<MaskKey> mask;
        if (masked) {
            mask = MaskKey{counter, static_cast<std::uint8_t>(counter * 7), config, 0xA5};
            if ((config & 0x40) != 0)
                mask = MaskKey{0, 0, 0, 0};
        }
        wire += encodeFrame(op, payload, fin, mask);
    };
    bool ended = false;
    while (!rest.empty() && !ended) {
        const auto separator = rest.find('\xFF');
        std::string_view segment = rest.substr(0, separator);
        rest =
            separator == std::string_view::npos ? std::string_view() : rest.substr(separator + 1);
        if (segment.empty())
            continue;
        const auto op = static_cast<std::uint8_t>(segment[0]);
        const std::string_view payload = segment.substr(1);
        const std::string_view control = payload.substr(0, kMaxControlPayload);
        switch (op & 3) {
            case 0: {  // text in 1..4 fragments, maybe with pings between them
                const std::size_t fragments = ((op >> 2) & 3) + 1;
                const bool fits = payload.size() <= maxMessage;
                const bool pings = (op & 0x10) != 0 && fits && referenceValid(payload);
                std::size_t sent = 0;
                for (std::size_t k = 0; k < fragments && !ended; ++k) {
                    const std::size_t end = payload.size() * (k + 1) / fragments;
                    const std::string_view piece = payload.substr(sent, end - sent);
                    const bool last = k + 1 == fragments;
                    frame(k == 0 ? Opcode::text : Opcode::continuation, piece, last);
                    if (end > maxMessage) {
                        expected.push_back({Kind::protocolError, {}, closecode::messageTooBig});
                        ended = true;
                        break;
                    }
                    const auto reference = referenceUtf8(payload.substr(0, end));
                    if (reference.firstBad != std::string_view::npos ||
                        (last && reference.endsInside)) {
                        expected.push_back({Kind::protocolError, {}, closecode::invalidPayload});
                        ended = true;
                        break;
                    }
                    sent = end;
                    if (pings && !last) {
                        const std::string ping(1, static_cast<char>('a' + k));
                        frame(Opcode::ping, ping, true);
                        expected.push_back({Kind::ping, ping, 0});
                    }
                }
                if (!ended)
                    expected.push_back({Kind::text, std::string(payload), 0});
                break;
            }
            case 1:
                frame(Opcode::ping, control, true);
                expected.push_back({Kind::ping, std::string(control), 0});
                break;
            case 2:
                frame(Opcode::pong, control, true);
                expected.push_back({Kind::pong, std::string(control), 0});
                break;
            case 3: {
                ended = true;
                if ((op & 0x04) != 0 && payload.size() >= 2) {
                    // What the server itself sends: the reason is cut at a UTF-8 boundary.
                    const auto code =
                        static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                   static_cast<unsigned char>(payload[1]));
                    const std::string closeFrame = encodeCloseFrame(
                        code, payload.substr(2),
                        masked ? std::optional<MaskKey>(MaskKey{1, 2, 3, 4}) : std::nullopt);
                    check(closeFrame.size() <= 2 + 4 + kMaxControlPayload);
                    wire += closeFrame;
                    // The reason as sent: at most 123 bytes, cut before a continuation byte.
                    const std::string_view reason = payload.substr(2);
                    std::size_t keep = std::min<std::size_t>(reason.size(), 123);
                    while (keep > 0 && keep < reason.size() &&
                           (static_cast<unsigned char>(reason[keep]) & 0xC0) == 0x80)
                        --keep;
                    const std::string_view kept = reason.substr(0, keep);
                    // A valid reason loses at most an incomplete code point at the cut.
                    if (referenceValid(reason))
                        check(referenceValid(kept) &&
                              keep + 3 >= std::min<std::size_t>(reason.size(), 123));
                    if (!isSendableCloseCode(code))
                        expected.push_back({Kind::protocolError, {}, closecode::protocolError});
                    else if (!referenceValid(kept))
                        expected.push_back({Kind::protocolError, {}, closecode::invalidPayload});
                    else
                        expected.push_back({Kind::close, std::string(kept), code});
                    break;
                }
                frame(Opcode::close, control, true);
                if (control.empty()) {
                    expected.push_back({Kind::close, {}, closecode::noStatus});
                    break;
                }
                const std::uint16_t code =
                    control.size() < 2
                        ? 0
                        : static_cast<std::uint16_t>((static_cast<unsigned char>(control[0]) << 8) |
                                                     static_cast<unsigned char>(control[1]));
                if (control.size() < 2 || !isSendableCloseCode(code))
                    expected.push_back({Kind::protocolError, {}, closecode::protocolError});
                else if (!referenceValid(control.substr(2)))
                    expected.push_back({Kind::protocolError, {}, closecode::invalidPayload});
                else
                    expected.push_back({Kind::close, std::string(control.substr(2)), code});
                break;
            }
        }
    }
    // After a close or an error the rest of the input is ignored.
    if (ended)
        wire.append(rest.data(), rest.size());

    const DecodeRun whole = decodeInChunks(wire, {wire.size()}, maxMessage, masked);
    check(sameEvents(whole.events, expected));
    const DecodeRun chunked = decodeInChunks(
        wire, chunkSizes(wire.size(), config >> 4, static_cast<std::uint32_t>(data.size())),
        maxMessage, masked);
    check(sameEvents(chunked.events, expected));
    check(chunked.frames == whole.frames);
    // Unmasked frames are refused by a server that requires masks (unless there are none).
    if (!masked && !wire.empty()) {
        const DecodeRun strict = decodeInChunks(wire, {wire.size()}, maxMessage, true);
        check(strict.events.size() == 1 && strict.events[0].kind == Kind::protocolError &&
              strict.events[0].code == closecode::protocolError);
    }
}

// ---------------------------------------------------------------------------------------------
// Client addresses.

bool sameAddress(const IpAddress& a, const IpAddress& b) {
    return a.v4 == b.v4 && a.bytes == b.bytes;
}

std::string_view trimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool onlyAddressCharacters(std::string_view text) {
    for (char c : text) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                        (c >= 'A' && c <= 'F') || c == '.' || c == ':' || c == '[' || c == ']' ||
                        c == ' ' || c == '\t';
        if (!ok)
            return false;
    }
    return true;
}

// Whatever parses is an address in one of the documented forms, and prints as text that parses
// back to the same address.
std::optional<IpAddress> parseChecked(std::string_view text) {
    auto address = IpAddress::parse(text);
    if (!address)
        return address;
    check(onlyAddressCharacters(text));
    if (address->v4)
        check(std::all_of(address->bytes.begin() + 4, address->bytes.end(),
                          [](std::uint8_t b) { return b == 0; }));
    const std::string printed = address->toString();
    const auto again = IpAddress::parse(printed);
    check(again && sameAddress(*again, *address) && again->toString() == printed);
    const std::string key = address->accountingKey();
    if (address->v4) {
        check(key == printed);
    } else {
        check(key.size() > 3 && key.compare(key.size() - 3, 3, "/64") == 0);
        const auto network = IpAddress::parse(std::string_view(key).substr(0, key.size() - 3));
        check(network && !network->v4);
        check(
            std::equal(network->bytes.begin(), network->bytes.begin() + 8, address->bytes.begin()));
        check(std::all_of(network->bytes.begin() + 8, network->bytes.end(),
                          [](std::uint8_t b) { return b == 0; }));
    }
    return address;
}

// X-Forwarded-For entries as resolveClientAddress documents them: comma-separated, blanks
// around them ignored, empty ones skipped.
std::vector<std::string_view> forwardedHops(std::string_view header) {
    std::vector<std::string_view> hops;
    for (std::size_t start = 0; start <= header.size();) {
        auto comma = header.find(',', start);
        if (comma == std::string_view::npos)
            comma = header.size();
        const auto entry = trimBlanks(header.substr(start, comma - start));
        if (!entry.empty())
            hops.push_back(entry);
        start = comma + 1;
    }
    return hops;
}

// The client is the peer, or (from a trusted peer only) an address from the header: the
// right-most one that is not a trusted proxy, read from the right while entries parse.
void checkResolved(const IpAddress& peer, std::string_view header, const TrustedProxies& trusted) {
    const ClientAddress client = resolveClientAddress(peer, header, trusted);
    const auto hops = forwardedHops(header);
    std::vector<std::optional<IpAddress>> parsed;
    for (auto hop : hops)
        parsed.push_back(parseChecked(hop));
    if (!trusted.trusts(peer) || hops.empty() || !parsed.back()) {
        check(!client.forwarded && sameAddress(client.address, peer));
        return;
    }
    check(client.forwarded);
    // Walk as the documentation says and compare.
    std::size_t j = hops.size() - 1;
    while (trusted.trusts(*parsed[j]) && j > 0 && parsed[j - 1])
        --j;
    check(sameAddress(client.address, *parsed[j]));
}

// Every entry of a list that parsed is trusted: single addresses and each block's own address.
void checkTrustedList(std::string_view list, const TrustedProxies& trusted) {
    for (std::size_t start = 0; start <= list.size();) {
        auto end = list.find_first_of(", \t", start);
        if (end == std::string_view::npos)
            end = list.size();
        const auto entry = list.substr(start, end - start);
        start = end + 1;
        if (entry.empty())
            continue;
        check(!trusted.empty());
        const auto address = IpAddress::parse(entry.substr(0, entry.find('/')));
        check(address.has_value());
        check(trusted.trusts(*address));
    }
}

const IpAddress& fallbackPeer(std::uint8_t which) {
    static const std::vector<IpAddress> peers = [] {
        std::vector<IpAddress> list;
        for (const char* text : {"10.0.0.1", "fd00::1", "127.0.0.1", "203.0.113.7"})
            list.push_back(*IpAddress::parse(text));
        return list;
    }();
    return peers[which % peers.size()];
}

const TrustedProxies& defaultTrusted() {
    static const TrustedProxies trusted =
        TrustedProxies::parse("10.0.0.0/8, 127.0.0.1 fd00::/8,::ffff:192.168.0.0/112");
    return trusted;
}

void fuzzAddresses(std::string_view data) {
    // The raw bytes as a socket address, as accept() would fill it.
    if (auto fromSocket = IpAddress::fromSocketAddress(data.data(), data.size()))
        parseChecked(fromSocket->toString());

    const auto firstBreak = data.find('\n');
    const std::string_view listText = data.substr(0, firstBreak);
    std::string_view rest =
        firstBreak == std::string_view::npos ? std::string_view() : data.substr(firstBreak + 1);
    const auto secondBreak = rest.find('\n');
    const std::string_view peerText = rest.substr(0, secondBreak);
    const std::string_view header =
        secondBreak == std::string_view::npos ? std::string_view() : rest.substr(secondBreak + 1);

    parseChecked(listText);
    std::optional<TrustedProxies> trusted;
    try {
        trusted = TrustedProxies::parse(listText);
    } catch (const std::invalid_argument&) {
        // A bad entry is refused as documented; anything else thrown escapes and is reported.
    }
    if (trusted)
        checkTrustedList(listText, *trusted);
    const auto peer = parseChecked(peerText);
    const IpAddress& peerAddress =
        peer ? *peer : fallbackPeer(static_cast<std::uint8_t>(data.size()));
    checkResolved(peerAddress, header, trusted ? *trusted : defaultTrusted());
}

// ---------------------------------------------------------------------------------------------
// The request head and the upgrade checks.

bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

bool sameSummary(const RequestHeadSummary& a, const RequestHeadSummary& b) {
    return a.method == b.method && a.path == b.path && a.forwardedFor == b.forwardedFor;
}

void fuzzRequestHead(std::string_view head) {
    const RequestHeadSummary summary = summarizeRequestHead(head);
    check(summary.method.find_first_of(" \n") == std::string::npos);
    check(summary.path.find_first_of(" \n?") == std::string::npos);
    check(summary.forwardedFor.find('\n') == std::string::npos);
    check(summary.method.size() + summary.path.size() + summary.forwardedFor.size() <=
          head.size() * 2);
    // Bare LF and CRLF line ends read the same.
    std::string crlf;
    for (char c : head) {
        if (c == '\n')
            crlf.push_back('\r');
        crlf.push_back(c);
    }
    check(sameSummary(summarizeRequestHead(crlf), summary));

    // The headers the upgrade handler reads (as POCO would, roughly: the last one wins).
    UpgradeRequestHeaders headers;
    headers.method = summary.method;
    std::size_t start = head.find('\n');
    while (start != std::string_view::npos && start < head.size()) {
        auto end = head.find('\n', start + 1);
        const auto line = head.substr(
            start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
        start = end;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const auto name = line.substr(0, colon);
        std::string value(line.substr(colon + 1));
        if (!value.empty() && value.back() == '\r')
            value.pop_back();
        if (equalsNoCase(name, "Upgrade"))
            headers.upgrade = value;
        else if (equalsNoCase(name, "Connection"))
            headers.connection = value;
        else if (equalsNoCase(name, "Sec-WebSocket-Version"))
            headers.version = value;
        else if (equalsNoCase(name, "Sec-WebSocket-Key"))
            headers.key = value;
    }
    const HandshakeVerdict verdict = checkUpgradeRequest(headers);
    check(verdict.ok == (verdict.status == 101));
    if (verdict.ok) {
        check(headers.method == "GET" && headerHasToken(headers.connection, "upgrade"));
        check(verdict.message.empty());
    } else {
        check(verdict.status == 400 || verdict.status == 405 || verdict.status == 426);
        check(!verdict.message.empty());
    }
    check(headerHasToken(headers.connection + ", Upgrade", "upgrade"));
    const std::string accept = computeAcceptKey(headers.key);
    check(accept.size() == 28 && accept.back() == '=');
    for (std::size_t i = 0; i + 1 < accept.size(); ++i) {
        const char c = accept[i];
        check((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/');
    }

    // The pre-accept stage resolves the client from the summary's X-Forwarded-For.
    checkResolved(fallbackPeer(static_cast<std::uint8_t>(head.size())), summary.forwardedFor,
                  defaultTrusted());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (static_cast<std::uint8_t>(data[0] - '0') % 5) {
        case 0:
            fuzzRawFrames(input);
            break;
        case 1:
            fuzzRoundTrip(input);
            break;
        case 2:
            fuzzUtf8(input);
            break;
        case 3:
            fuzzRequestHead(input);
            break;
        default:
            fuzzAddresses(input);
            break;
    }
    return 0;
}
