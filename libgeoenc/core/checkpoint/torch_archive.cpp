#include "core/checkpoint/torch_archive.h"

#include <cstring>
#include <fstream>
#include <memory>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/file_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>

#include "core/errors.h"

namespace geoenc::checkpoint {
namespace {

namespace ser = caffe2::serialize;

// LibTorch's MemoryReadAdapter copies whatever range it is asked for; this one
// clamps to the buffer, so a corrupt directory cannot make it read past the end.
class BoundedMemoryAdapter final : public ser::ReadAdapterInterface {
public:
    explicit BoundedMemoryAdapter(std::string_view bytes) : bytes_(bytes) {}
    size_t size() const override { return bytes_.size(); }
    size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
        if (pos >= bytes_.size()) return 0;
        n = std::min<uint64_t>(n, bytes_.size() - pos);
        std::memcpy(buf, bytes_.data() + pos, n);
        return n;
    }

private:
    std::string_view bytes_;
};

// One record as the flat tensor the unpickler asked for.
at::Tensor load_storage(ser::PyTorchStreamReader& reader, std::size_t archive_size, const std::string& source,
                        const StorageRequest& req) {
    const std::string record = "data/" + req.key;
    const auto nbytes = std::uint64_t(req.numel) * c10::elementSize(req.dtype);  // no overflow: checked by unpickle
    // torch.save stores records uncompressed, so a record larger than the whole
    // file is corrupt; checking first avoids allocating for it.
    if (nbytes > archive_size)
        throw DataError(source + ": " + record + " would need " + std::to_string(nbytes) + " bytes, more than the file holds");
    if (!reader.hasRecord(record)) throw DataError(source + ": missing tensor record " + record);
    auto [data, size] = reader.getRecord(record);
    if (size != nbytes)
        throw DataError(source + ": " + record + " holds " + std::to_string(size) + " bytes, the pickle expects " +
                        std::to_string(nbytes));
    // Adopt the record's buffer as the storage (no copy).
    c10::Storage storage(c10::Storage::use_byte_size_t(), size, std::move(data), nullptr, false);
    return at::empty({0}, at::TensorOptions().dtype(req.dtype)).set_(storage, 0, {req.numel}, {1});
}

Document read(std::shared_ptr<ser::ReadAdapterInterface> adapter, const std::string& source,
              const UnpickleLimits& limits) {
    try {
        const std::size_t archive_size = adapter->size();
        ser::PyTorchStreamReader reader(adapter);
        if (!reader.hasRecord("data.pkl"))
            throw DataError(source + ": no data.pkl record (not a torch.save checkpoint; TorchScript?)");
        auto [pkl, pkl_size] = reader.getRecord("data.pkl");
        const std::string_view bytes(static_cast<const char*>(pkl.get()), pkl_size);
        return unpickle(
            bytes, [&](const StorageRequest& req) { return load_storage(reader, archive_size, source, req); }, source,
            limits);
    } catch (const DataError&) {
        throw;
    } catch (const c10::Error& e) {
        throw DataError(source + ": not a readable PyTorch zip checkpoint: " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw DataError(source + ": out of memory while reading");
    }
}

}  // namespace

Document read_torch_archive(const std::string& path, const UnpickleLimits& limits) {
    if (!std::ifstream(path, std::ios::binary)) throw DataError(path + ": cannot open for reading");
    std::shared_ptr<ser::ReadAdapterInterface> adapter;
    try {
        adapter = std::make_shared<ser::FileAdapter>(path);
    } catch (const c10::Error& e) {
        throw DataError(path + ": cannot open: " + e.what_without_backtrace());
    }
    return read(std::move(adapter), path, limits);
}

Document read_torch_archive_bytes(std::string_view bytes, const std::string& name, const UnpickleLimits& limits) {
    return read(std::make_shared<BoundedMemoryAdapter>(bytes), name, limits);
}

}  // namespace geoenc::checkpoint
