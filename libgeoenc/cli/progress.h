#pragma once
// A progress bar with rate and time left, on stderr only. Off unless stderr is
// a terminal, or forced with --progress; --quiet and --no-progress silence it.
#include <chrono>
#include <cstdint>
#include <string>

namespace geoenc::cli {

class Progress {
public:
    Progress(bool enabled, std::string label, std::int64_t total);  // total < 0: unknown
    ~Progress();
    void update(std::int64_t done);
    void finish();

private:
    void draw(bool final);

    bool enabled_;
    std::string label_;
    std::int64_t total_;
    std::int64_t done_ = 0;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace geoenc::cli
