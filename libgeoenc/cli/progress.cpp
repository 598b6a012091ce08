#include "cli/progress.h"

#include <cstdio>

namespace geoenc::cli {

namespace {
using Clock = std::chrono::steady_clock;

std::string human_count(double v) {
    char buf[32];
    if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
    else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string clock_text(double seconds) {
    const long s = long(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}
}  // namespace

Progress::Progress(bool enabled, std::string label, std::int64_t total)
    : enabled_(enabled), label_(std::move(label)), total_(total), start_(Clock::now()), last_draw_(start_) {}

Progress::~Progress() {
    // An exception is unwinding: end the bar's line so the error starts on a fresh one.
    if (enabled_ && !finished_ && done_ > 0) std::fputc('\n', stderr);
}

void Progress::update(std::int64_t done) {
    done_ = done;
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    draw(false);
}

void Progress::finish() {
    if (!enabled_ || finished_) return;
    finished_ = true;
    draw(true);
    std::fputc('\n', stderr);
}

void Progress::draw(bool final) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = elapsed > 0 ? done_ / elapsed : 0;
    std::string line = "\r" + label_ + " ";
    if (total_ > 0) {
        const double frac = std::min(1.0, double(done_) / double(total_));
        const int width = 30, filled = int(frac * width);
        line += "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
        char pct[16];
        std::snprintf(pct, sizeof pct, "%3.0f%% ", frac * 100);
        line += pct;
        line += human_count(double(done_)) + "/" + human_count(double(total_));
        line += "  " + human_count(rate) + "/s";
        if (!final && rate > 0) line += "  " + clock_text((total_ - done_) / rate) + " left";
        else line += "  " + clock_text(elapsed);
    } else {
        line += human_count(double(done_)) + "  " + human_count(rate) + "/s  " + clock_text(elapsed);
    }
    line += "\033[K";  // clear what a longer previous line left
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
}

}  // namespace geoenc::cli
