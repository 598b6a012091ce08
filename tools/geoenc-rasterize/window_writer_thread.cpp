#include "window_writer_thread.h"

namespace geoenc::tools {

WindowWriterThread::WindowWriterThread(io::RasterWriter& writer) : writer_(writer), thread_([this] { loop(); }) {}

WindowWriterThread::~WindowWriterThread() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
        queued_.reset();
    }
    cv_.notify_all();
    thread_.join();
}

void WindowWriterThread::loop() {
    for (;;) {
        PackedWindow w;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [&] { return stop_ || queued_.has_value(); });
            if (!queued_) return;  // stopping with nothing queued
            w = std::move(*queued_);
            queued_.reset();
            busy_ = true;
        }
        cv_.notify_all();
        try {
            writer_.write(w.col0, w.row0, w.width, w.height, w.bytes.data());
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu_);
            error_ = std::current_exception();
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            busy_ = false;
            if (error_) stop_ = true;
        }
        cv_.notify_all();
    }
}

void WindowWriterThread::push(PackedWindow window) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !queued_.has_value() || error_; });
    if (error_) std::rethrow_exception(error_);
    queued_ = std::move(window);
    lock.unlock();
    cv_.notify_all();
}

void WindowWriterThread::finish() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return (!queued_.has_value() && !busy_) || error_; });
    if (error_) std::rethrow_exception(error_);
}

}  // namespace geoenc::tools
