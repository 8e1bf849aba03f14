// Hidden by default ("[.]"): run with  fp_transport_tests "[stress]".
#include <catch2/catch.hpp>

#include <dirent.h>

#include "transport_test_support.hpp"

using namespace fp::websocket;
using namespace fp::websocket::testing;

namespace {

int threadCount() {
    int count = 0;
    if (DIR* tasks = ::opendir("/proc/self/task")) {
        while (const dirent* entry = ::readdir(tasks))
            count += entry->d_name[0] != '.';
        ::closedir(tasks);
    }
    return count;
}

}  // namespace

TEST_CASE("stress: 2000 idle connections are served without a thread each", "[.][stress]") {
    RunningTransport server;
    const int threadsBefore = threadCount();
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 2000; ++i) {
        clients.push_back(std::make_unique<WsClient>(server.port()));
        clients.back()->handshake();
        REQUIRE(clients.back()->upgraded());
    }
    CHECK(server.host().waitOpened(2000, std::chrono::milliseconds(5000)));
    CHECK(server.transport().stats().openConnections == 2000);
    CHECK(threadCount() <= threadsBefore + 16);  // HTTP pool growth at most
    for (int i = 0; i < 2000; i += 97) {
        clients[i]->sendText("hello " + std::to_string(i));
        auto echo = clients[i]->readFrame();
        REQUIRE(echo);
        CHECK(echo->payload == "hello " + std::to_string(i));
    }
}
