#include "io/shard.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/errors.h"
#include "io/splitmix64.h"

namespace geoenc::io {

namespace {

bool parse_int(const char* text, long& out) {
    if (!text || !*text) return false;
    char* end = nullptr;
    out = std::strtol(text, &end, 10);
    return *end == '\0';
}

Shard checked(long index, long count, const std::string& source) {
    if (count < 1 || count > 1000000 || index < 0 || index >= count)
        throw UsageError(source + ": shard " + std::to_string(index) + " of " + std::to_string(count) +
                         " is out of range (expected 0 <= I < N)");
    return {int(index), int(count)};
}

}  // namespace

bool Shard::selects(std::int64_t fid) const {
    return count <= 1 || splitmix64(std::uint64_t(fid)) % std::uint64_t(count) == std::uint64_t(index);
}

Shard parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    long i = 0, n = 0;
    if (slash == std::string::npos || !parse_int(text.substr(0, slash).c_str(), i) ||
        !parse_int(text.substr(slash + 1).c_str(), n))
        throw UsageError("--shard: expected I/N (e.g. 3/10), got '" + text + "'");
    return checked(i, n, "--shard " + text);
}

Shard shard_from_environment() {
    long id = 0, count = 0, min = 0, step = 1;
    if (parse_int(std::getenv("SLURM_ARRAY_TASK_ID"), id) && parse_int(std::getenv("SLURM_ARRAY_TASK_COUNT"), count)) {
        // --array=MIN-MAX[:STEP]: task ids MIN, MIN+STEP, ... are shards 0, 1, ...
        if (parse_int(std::getenv("SLURM_ARRAY_TASK_MIN"), min)) id -= min;
        if (parse_int(std::getenv("SLURM_ARRAY_TASK_STEP"), step) && step > 1) {
            if (id % step != 0)
                throw UsageError("SLURM_ARRAY_TASK_ID: task " + std::to_string(id + min) + " is not on the array's step " +
                                 std::to_string(step) + " from " + std::to_string(min) +
                                 " (use a range MIN-MAX[:STEP], or --shard I/N)");
            id /= step;
        }
        return checked(id, count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
    }
    if (parse_int(std::getenv("JOB_COMPLETION_INDEX"), id) && parse_int(std::getenv("GEOENC_SHARD_COUNT"), count))
        return checked(id, count, "JOB_COMPLETION_INDEX/GEOENC_SHARD_COUNT");
    return {};
}

std::string shard_output_name(const std::string& output, const Shard& shard) {
    if (!shard.active() || output == "-") return output;
    const std::filesystem::path p(output);
    char tag[64];
    std::snprintf(tag, sizeof tag, ".shard-%04d-of-%04d", shard.index, shard.count);
    return (p.parent_path() / (p.stem().string() + tag + p.extension().string())).string();
}

}  // namespace geoenc::io
