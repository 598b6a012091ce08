#pragma once
// The allocator of stored cost matrices and Sinkhorn kernels (hundreds of MB).
// Elements are left uninitialised when a vector is sized, so the threads that
// compute the entries are the first to touch the memory: a std::vector would
// zero a gigabyte on one thread first (0.38 s for 10,000 x 10,000 here).
// (Advising such blocks as transparent huge pages was tried: a 10,000 x 10,000
// Sinkhorn solve with the cost and kernel stored went from 3.5 to 4.9-5.3 s in
// this VM, the page clearing being slower, so they get ordinary pages.)
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace geoenc::ot {

template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitializedAllocator<U>;
    };
    UninitializedAllocator() noexcept = default;
    template <class U>
    UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

}  // namespace geoenc::ot
