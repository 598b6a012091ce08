#pragma once
// Writing overlaps computing: the main thread computes window k+1 while this
// thread hands window k to GDAL. At most one window waits, so memory stays at
// about three windows.
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "io/raster_writer.h"

namespace geoenc::tools {

struct PackedWindow {
    int col0 = 0, row0 = 0, width = 0, height = 0;
    std::vector<unsigned char> bytes;  // band-sequential, the output type (io::RasterPacker)
};

class WindowWriterThread {
public:
    explicit WindowWriterThread(io::RasterWriter& writer);
    ~WindowWriterThread();  // stops without writing what is left (a failed run)
    WindowWriterThread(const WindowWriterThread&) = delete;
    WindowWriterThread& operator=(const WindowWriterThread&) = delete;

    // Waits while a window is already queued; rethrows the writer's error.
    void push(PackedWindow window);
    // Waits until everything is written; rethrows the writer's error.
    void finish();

private:
    void loop();

    io::RasterWriter& writer_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::optional<PackedWindow> queued_;
    bool busy_ = false, stop_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

}  // namespace geoenc::tools
