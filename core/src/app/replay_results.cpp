#include "app/replay_results.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "app/plugin_set.hpp"
#include "config/config_loader.hpp"
#include "delivery/replay_delivery.hpp"
#include "delivery/replay_plan.hpp"
#include "delivery/result_log_reader.hpp"
#include "logging/log_setup.hpp"
#include "metrics/metrics_registry.hpp"
#include "plugins/plugin_catalog.hpp"

namespace fp::app {
namespace {
using delivery::ReplayItem;
using Action = ReplayItem::Action;

// main() blocks SIGTERM and SIGINT for the server's sigwait; a replay is stopped by them as
// any command is (every delivery is idempotent, so running it again is safe).
void unblockStopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

bool readFiles(const std::vector<std::string>& files, delivery::ResultLogReader& reader,
               std::ostream& err) {
    for (const auto& file : files) {
        if (file == "-") {
            reader.readStream(std::cin, "<stdin>");
            continue;
        }
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            err << "replay-results: cannot read " << file << ": " << std::strerror(errno) << "\n";
            return false;
        }
        reader.readStream(in, file);
    }
    return true;
}

std::string describeItem(const ReplayItem& item) {
    std::string text = item.resultId + "  " + item.sink;
    if (!item.roomId.empty())
        text += "  room " + item.roomId;
    if (!item.storyTitle.empty())
        text += "  \"" + item.storyTitle + "\"";
    return text;
}

std::string attemptsText(std::uint32_t attempts) {
    return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

struct Tally {
    std::size_t delivered = 0;
    std::size_t failed = 0;
};

// Makes and starts the sinks that have work, then delivers each item in order.
Tally deliverAll(config::AppConfig& config, const config::Environment& env,
                 const delivery::ReplayPlan& plan, std::ostream& out, std::ostream& err,
                 bool& configOk) {
    Tally tally;
    auto envPluginPath = env.count("FP_PLUGIN_PATH") ? env.at("FP_PLUGIN_PATH") : std::string();
    auto catalog = plugins::PluginCatalog::standard(config.server.pluginPath, envPluginPath);
    OpenedLibraries opened;
    auto problems = resolvePlugins(config, catalog, env, opened);
    metrics::MetricsRegistry metrics;
    NamedSinks sinks;
    if (problems.empty()) {
        sinks = createSinks(config, opened, "replay-results-" + std::to_string(::getpid()),
                            metrics.pluginMetrics(), problems);
    }
    if (!problems.empty()) {
        for (const auto& problem : problems)
            err << problem.describe() << "\n";
        configOk = false;
        return tally;
    }

    delivery::ReplayDeliverer deliverer(
        config.delivery, [&out](const std::string& note) { out << "  " << note << std::endl; });
    std::vector<fp::sdk::Sink*> started;
    for (const auto& [name, sink] : sinks) {
        // A structured binding cannot be captured in C++17 (clang refuses it): a reference.
        const std::string& sinkName = name;
        const bool needed = std::any_of(plan.items.begin(), plan.items.end(), [&](const auto& i) {
            return i.action == Action::deliver && i.sink == sinkName;
        });
        if (!needed)
            continue;
        auto status = sink->start();
        if (!status.ok()) {
            deliverer.disableSink(name, "sink " + name + " failed to start: " + status.message);
            continue;
        }
        started.push_back(sink.get());
        deliverer.addSink(name, *sink);
    }
    for (const auto& item : plan.items) {
        if (item.action != Action::deliver)
            continue;
        auto outcome = deliverer.deliver(item.sink, item.resultId, item.record);
        if (outcome.delivered) {
            ++tally.delivered;
            out << "delivered   " << describeItem(item);
            if (!outcome.detail.empty())
                out << "  (" << outcome.detail << ")";
            out << std::endl;
        } else {
            ++tally.failed;
            out << "failed      " << describeItem(item) << "  " << outcome.detail;
            if (outcome.attempts > 0)
                out << " (" << attemptsText(outcome.attempts) << ")";
            out << std::endl;
        }
    }
    for (auto it = started.rbegin(); it != started.rend(); ++it)
        (*it)->stop();
    return tally;
}
}  // namespace

int replayResults(const ReplayCommand& command, std::ostream& out, std::ostream& err) {
    unblockStopSignals();
    if (command.files.empty()) {
        err << "replay-results: name at least one log file (or - for standard input)\n";
        return 64;
    }
    const auto env = config::processEnvironment();
    auto loaded = config::loadConfig(command.configFile, env);
    if (!loaded.problems.empty()) {
        for (const auto& problem : loaded.problems)
            err << problem.describe() << "\n";
        return 2;
    }
    config::AppConfig& config = loaded.config;
    // Plugins log to stderr like the server's; the report goes to stdout.
    logging::configureLogging(logging::resolveFormat(config.log.format), config.log.level);
    std::vector<std::string> sinkNames;
    for (const auto& sink : config.sinks)
        sinkNames.push_back(sink.instanceName);
    if (sinkNames.empty()) {
        err << "replay-results: " << (config.file.empty() ? "the built-in config" : config.file)
            << " has no sinks: give the server's config with --config FILE\n";
        return 2;
    }

    delivery::ResultLogReader reader;
    if (!readFiles(command.files, reader, err))
        return 2;
    const auto plan = delivery::planReplay(reader.events(), sinkNames);

    out << "read " << command.files.size() << (command.files.size() == 1 ? " file, " : " files, ")
        << reader.linesRead() << " lines: " << plan.results << " results (" << plan.committed
        << " with their result.committed line), " << reader.unreadable().size()
        << " unreadable result lines" << std::endl;
    for (const auto& line : reader.unreadable())
        out << "unreadable  " << line.where << ": " << line.why << std::endl;
    out << "sinks configured now:";
    for (const auto& name : sinkNames)
        out << " " << name;
    out << std::endl;

    std::size_t missing = 0;
    for (const auto& item : plan.items) {
        switch (item.action) {
            case Action::skipDelivered:
            case Action::skipNoSink:
                out << "skipped     " << describeItem(item) << "  " << item.why << std::endl;
                break;
            case Action::missingRecord:
                ++missing;
                out << "failed      " << describeItem(item) << "  " << item.why << std::endl;
                break;
            case Action::deliver:
                out << "to deliver  " << describeItem(item) << "  last logged: " << item.why
                    << std::endl;
                break;
        }
    }
    const std::size_t toDeliver = plan.count(Action::deliver);
    const std::size_t skipped = plan.count(Action::skipDelivered) + plan.count(Action::skipNoSink);
    const std::size_t unreadable = reader.unreadable().size();
    if (command.dryRun) {
        out << "dry run: " << toDeliver << " to deliver, " << skipped << " skipped, " << missing
            << " without their record, " << unreadable << " unreadable lines; nothing delivered"
            << std::endl;
        return toDeliver + missing + unreadable == 0 ? 0 : 1;
    }

    bool configOk = true;
    Tally tally;
    if (toDeliver > 0)
        tally = deliverAll(config, env, plan, out, err, configOk);
    if (!configOk)
        return 2;
    out << "summary: " << plan.results << " results; " << tally.delivered << " delivered, "
        << skipped << " skipped (" << plan.count(Action::skipDelivered)
        << " already delivered per the log, " << plan.count(Action::skipNoSink)
        << " for sinks not configured now), " << tally.failed + missing << " failed, " << unreadable
        << " unreadable lines" << std::endl;
    return tally.failed + missing + unreadable == 0 ? 0 : 1;
}

}  // namespace fp::app
