#pragma once
// Deterministic sharding for job arrays: shard I of N takes the features whose
// FID hashes to I, so N independent runs cover the input exactly once whatever
// the order of reading, and their outputs join with ogrmerge.py / gdalbuildvrt.
#include <cstdint>
#include <string>

namespace geoenc::io {

struct Shard {
    int index = 0;
    int count = 1;
    bool active() const { return count > 1; }
    bool selects(std::int64_t fid) const;
};

// "I/N" with 0 <= I < N. Throws UsageError naming --shard.
Shard parse_shard(const std::string& text);
// SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) of SLURM_ARRAY_TASK_COUNT, or
// JOB_COMPLETION_INDEX of GEOENC_SHARD_COUNT (Kubernetes indexed jobs); else 0/1.
Shard shard_from_environment();
// out.gpkg -> out.shard-0003-of-0010.gpkg (unchanged for "-" or one shard).
std::string shard_output_name(const std::string& output, const Shard& shard);

}  // namespace geoenc::io
