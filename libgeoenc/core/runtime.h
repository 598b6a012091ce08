#pragma once
// Where and how the compute core runs: device choice, thread count, versions.
#include <string>

namespace geoenc {

enum class DeviceKind { Auto, Cpu, Cuda };
enum class Precision { Float32, Float64 };

DeviceKind parse_device(const std::string& text);        // throws UsageError
Precision parse_precision(const std::string& text);      // throws UsageError
const char* to_string(DeviceKind d);
const char* to_string(Precision p);

bool cuda_available();
// Auto becomes Cuda when a CUDA device is present; Cuda without one is a UsageError
// naming --device, so scripts fail early instead of silently running on the CPU.
DeviceKind resolve_device(DeviceKind requested);

// Denormal floats (below 1.2e-38 in float32) become 0 in arithmetic on this
// thread and on the threads it starts afterwards (x86 FTZ/DAZ, as PyTorch's
// set_flush_denormal). The float32 harmonics of high degree near the poles
// pass through that range, where the CPU computes ~100x slower: a global
// heatmap took 12% longer. Every tool calls it first (cli/command.cpp), before
// any thread pool exists, so every compute thread has it.
void flush_denormals();

// Threads for LibTorch's intra-op pool and our own parallel loops; 0 keeps the default.
void set_threads(int n);
int get_threads();

std::string torch_version();
std::string geoenc_version();

}  // namespace geoenc
