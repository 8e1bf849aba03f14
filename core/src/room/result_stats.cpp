#include "room/result_stats.hpp"

#include <algorithm>

#include "room/decks.hpp"
#include "room/json_util.hpp"

namespace fp::room {

Stats computeStats(const std::vector<std::string>& cards, const std::vector<std::string>& deck) {
    Stats stats;
    stats.votes = static_cast<int>(cards.size());

    // Distribution in deck order, then unknown cards in first-seen order.
    std::vector<std::string> order = deck;
    for (const auto& card : cards) {
        if (std::find(order.begin(), order.end(), card) == order.end()) {
            order.push_back(card);
        }
    }
    for (const auto& card : order) {
        const int count = static_cast<int>(std::count(cards.begin(), cards.end(), card));
        if (count > 0) {
            stats.distribution.emplace_back(card, count);
        }
    }

    // Estimates: everything but ? and coffee.
    std::vector<double> numbers;
    int estimateVotes = 0;
    int mostCommon = 0;
    for (const auto& [card, count] : stats.distribution) {
        if (isNonEstimate(card)) {
            continue;
        }
        estimateVotes += count;
        mostCommon = std::max(mostCommon, count);
        if (!stats.min) {
            stats.min = card;  // distribution is in deck order
        }
        stats.max = card;
        if (auto value = numericCardValue(card)) {
            numbers.insert(numbers.end(), static_cast<std::size_t>(count), *value);
        }
    }
    if (!numbers.empty()) {
        std::sort(numbers.begin(), numbers.end());
        double sum = 0;
        for (double n : numbers) {
            sum += n;
        }
        stats.average = sum / static_cast<double>(numbers.size());
        const std::size_t middle = numbers.size() / 2;
        stats.median = numbers.size() % 2 == 1 ? numbers[middle]
                                               : (numbers[middle - 1] + numbers[middle]) / 2.0;
    }
    stats.consensus = estimateVotes > 0 && mostCommon == estimateVotes;
    stats.agreement = estimateVotes > 0 ? static_cast<double>(mostCommon) / estimateVotes : 0.0;
    return stats;
}

}  // namespace fp::room
