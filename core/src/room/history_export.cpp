#include "room/history_export.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "room/public_state.hpp"
#include "room/time_format.hpp"

namespace fp::room {
namespace {

// Shortest text that reads back as the same number ("5", "0.5", "1.6666666666666667").
std::string exactNumber(double value) {
    return Poco::Dynamic::Var(value).toString();
}

// For people: at most two decimals ("1.67", "5").
std::string roundedNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    std::string text = buffer;
    while (!text.empty() && text.back() == '0') {
        text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text == "-0" ? "0" : text;
}

std::string optionalNumber(const std::optional<double>& value, bool exact) {
    if (!value) {
        return "";
    }
    return exact ? exactNumber(*value) : roundedNumber(*value);
}

// "Aiko: 8; Ben: 5", or "5; 8" with no names when anonymous.
std::string cardsText(const Room& room, const HistoryEntry& entry) {
    std::string text;
    for (const auto& vote : shownVotes(entry.votes, room.settings.anonymous, entry.stats)) {
        if (!text.empty()) {
            text += "; ";
        }
        if (vote.name) {
            text += *vote.name + ": ";
        }
        text += vote.card;
    }
    return text;
}

}  // namespace

std::string csvField(std::string_view text) {
    std::string value(text);
    if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                           value[0] == '@' || value[0] == '\t')) {
        value.insert(value.begin(), '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') {
            quoted += "\"\"";
        } else {
            quoted += c;
        }
    }
    quoted += '"';
    return quoted;
}

std::string markdownCell(std::string_view text) {
    std::string cell;
    for (char c : text) {
        if (c == '\\' || c == '|') {
            cell += '\\';
            cell += c;
        } else if (c == '\r' || c == '\n') {
            cell += ' ';
        } else {
            cell += c;
        }
    }
    return cell;
}

std::string renderHistoryJson(const Room& room) {
    std::string text;
    json::Writer out(text);
    out.beginObject().key("results").beginArray();
    for (const auto& entry : room.history) {
        writeHistoryEntry(out, room, entry);
    }
    out.endArray().endObject();
    return text;
}

std::string renderHistoryCsv(const Room& room) {
    std::string out =
        "finalizedAt,resultId,title,ref,url,estimate,rounds,votes,average,median,min,max,"
        "consensus,agreement,cards\r\n";
    for (const auto& entry : room.history) {
        const std::vector<std::string> fields = {
            formatIsoUtcMs(entry.finalizedAtMs),
            entry.resultId,
            entry.story.title,
            entry.story.ref.value_or(""),
            entry.story.url.value_or(""),
            entry.estimate,
            std::to_string(entry.rounds),
            std::to_string(entry.stats.votes),
            optionalNumber(entry.stats.average, true),
            optionalNumber(entry.stats.median, true),
            entry.stats.min.value_or(""),
            entry.stats.max.value_or(""),
            entry.stats.consensus ? "true" : "false",
            exactNumber(entry.stats.agreement),
            cardsText(room, entry),
        };
        for (std::size_t i = 0; i < fields.size(); ++i) {
            out += (i == 0 ? "" : ",") + csvField(fields[i]);
        }
        out += "\r\n";
    }
    return out;
}

std::string renderHistoryMarkdown(const Room& room) {
    std::string out =
        "| Finalized | Story | Ref | Estimate | Rounds | Votes | Average | Median | Consensus "
        "| Agreement | Cards |\n"
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |\n";
    for (const auto& entry : room.history) {
        std::string story = markdownCell(entry.story.title);
        if (entry.story.url) {
            story += " (" + markdownCell(*entry.story.url) + ")";
        }
        const std::vector<std::string> cells = {
            formatIsoUtcMs(entry.finalizedAtMs),
            story,
            markdownCell(entry.story.ref.value_or("")),
            markdownCell(entry.estimate),
            std::to_string(entry.rounds),
            std::to_string(entry.stats.votes),
            optionalNumber(entry.stats.average, false),
            optionalNumber(entry.stats.median, false),
            entry.stats.consensus ? "yes" : "no",
            roundedNumber(entry.stats.agreement * 100) + "%",
            markdownCell(cardsText(room, entry)),
        };
        out += "|";
        for (const auto& cell : cells) {
            out += " " + cell + " |";
        }
        out += "\n";
    }
    return out;
}

}  // namespace fp::room
