// fp-loadgen: drives a Fire Poker server (or the Node reference) over real WebSockets and
// prints one JSON object with what it measured. See docs/performance.md.
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "load_generator.hpp"

namespace {

using fp::bench::LoadOptions;
using fp::bench::Mode;

void usage() {
    std::cerr
        << "usage: fp-loadgen --port P [--port P2 ...] [--mode connect|steady|saturate|soak]\n"
           "  [--rooms N] [--per-room K] [--connect-rate R (0 = storm)] [--rate VOTES/S/ROOM]\n"
           "  [--warmup S] [--duration S] [--hold S] [--churn CONNS/S] [--prefix NAME]\n"
           "  [--pid SERVER_PID ...] [--helper-pid PID ...] [--host 127.0.0.1]\n";
}

std::vector<pid_t> pidList(const std::string& text) {
    std::vector<pid_t> pids;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            pids.push_back(static_cast<pid_t>(std::stol(item)));
    return pids;
}

LoadOptions parse(int argc, char** argv) {
    LoadOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--port") {
            options.ports.push_back(std::stoi(value()));
        } else if (arg == "--host") {
            options.host = value();
        } else if (arg == "--mode") {
            const auto mode = value();
            if (mode == "connect")
                options.mode = Mode::connect;
            else if (mode == "steady")
                options.mode = Mode::steady;
            else if (mode == "saturate")
                options.mode = Mode::saturate;
            else if (mode == "soak")
                options.mode = Mode::soak;
            else
                throw std::invalid_argument("unknown --mode " + mode);
        } else if (arg == "--rooms") {
            options.rooms = std::stoi(value());
        } else if (arg == "--per-room") {
            options.perRoom = std::stoi(value());
        } else if (arg == "--connect-rate") {
            options.connectRate = std::stod(value());
        } else if (arg == "--rate") {
            options.votesPerRoomPerSecond = std::stod(value());
        } else if (arg == "--warmup") {
            options.warmupSeconds = std::stod(value());
        } else if (arg == "--duration") {
            options.durationSeconds = std::stod(value());
        } else if (arg == "--hold") {
            options.holdSeconds = std::stod(value());
        } else if (arg == "--connect-timeout") {
            options.connectTimeoutSeconds = std::stod(value());
        } else if (arg == "--churn") {
            options.churnPerSecond = std::stod(value());
        } else if (arg == "--prefix") {
            options.roomPrefix = value();
        } else if (arg == "--pid") {
            for (pid_t pid : pidList(value()))
                options.serverPids.push_back(pid);
        } else if (arg == "--helper-pid") {
            for (pid_t pid : pidList(value()))
                options.helperPids.push_back(pid);
        } else if (arg == "--help" || arg == "-h") {
            usage();
            std::exit(0);
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (options.rooms < 1 || options.perRoom < 1 || options.votesPerRoomPerSecond <= 0)
        throw std::invalid_argument("--rooms, --per-room and --rate must be positive");
    return options;
}

void printSample(std::ostream& out, const char* name, const fp::bench::ProcessSample& s) {
    out << "\"" << name << "\":{\"rssKiB\":" << s.rssKiB << ",\"cpuMicros\":" << s.cpuMicros
        << ",\"fds\":" << s.openFds << ",\"threads\":" << s.threads << "}";
}

}  // namespace

int main(int argc, char** argv) {
    LoadOptions options;
    try {
        options = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "fp-loadgen: " << e.what() << "\n";
        usage();
        return 2;
    }
    try {
        fp::bench::LoadGenerator generator(options);
        auto report = generator.run();
        std::ostringstream out;
        out << "{\"connectionsWanted\":" << report.connectionsWanted
            << ",\"connectionsOpen\":" << report.connectionsOpen
            << ",\"welcomed\":" << report.welcomed
            << ",\"secondsToAllWelcomed\":" << report.secondsToAllWelcomed
            << ",\"welcomedWithinOneSecond\":" << report.welcomedWithinOneSecond
            << ",\"votes\":" << report.votes << ",\"deliveries\":" << report.deliveries
            << ",\"commandsSent\":" << report.commandsSent
            << ",\"windowSeconds\":" << report.windowSeconds
            << ",\"lateVotes\":" << report.lateVotes << ",\"unmatched\":" << report.unmatched
            << ",\"latencySamples\":" << report.latencySamples << ",\"p50Ms\":" << report.p50Ms
            << ",\"p99Ms\":" << report.p99Ms << ",\"maxMs\":" << report.maxMs
            << ",\"connectErrors\":" << report.connectErrors
            << ",\"unexpectedCloses\":" << report.unexpectedCloses
            << ",\"errors\":" << report.errors() << ",\"errorCodes\":{";
        bool first = true;
        for (const auto& [code, count] : report.errorCodes) {
            out << (first ? "" : ",") << "\"" << code << "\":" << count;
            first = false;
        }
        out << "},\"generatorCpuShare\":" << report.generatorCpuShare << ",";
        printSample(out, "serverIdle", report.serverIdle);
        out << ",";
        printSample(out, "serverLoaded", report.serverLoaded);
        out << ",";
        printSample(out, "serverStart", report.serverStart);
        out << ",";
        printSample(out, "serverEnd", report.serverEnd);
        out << ",";
        printSample(out, "helperStart", report.helperStart);
        out << ",";
        printSample(out, "helperEnd", report.helperEnd);
        out << "}\n";
        std::cout << out.str();
        return report.errors() == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "fp-loadgen: " << e.what() << "\n";
        return 2;
    }
}
