#include "training_points.h"

#include <cmath>
#include <cstring>

#include "core/checkpoint/sha256.h"
#include "core/errors.h"
#include "core/log.h"
#include "io/field_values.h"

namespace geoenc::tools {

LabelledPoints read_labelled_points(const std::string& input, const io::ReaderOptions& opts, const std::string& field,
                                    Task task) {
    io::VectorReader reader(input, opts);
    LabelledPoints p;
    p.where = reader.where_text();
    const OGRFeatureDefn& defn = *reader.layer().GetLayerDefn();
    const int fi = defn.GetFieldIndex(field.c_str());
    if (fi < 0)
        throw DataError(p.where + ": --target: no field '" + field + "' (fields: " + io::field_names(defn) + ")");
    std::int64_t dropped = 0;
    io::FeatureBatch batch;
    while (reader.next(batch, 65536)) {
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const OGRFeature& f = *batch.features[k];
            std::string problem;
            double v = 0;
            std::string text;
            if (task == Task::Regression) {
                problem = io::numeric_value(f, fi, v);
            } else if (!f.IsFieldSetAndNotNull(fi)) {
                problem = "is null";
            } else {
                text = f.GetFieldAsString(fi);
                if (text.empty()) problem = "is empty";
            }
            if (!problem.empty()) {
                if (!opts.skip_invalid)
                    throw DataError(p.where + ": FID " + std::to_string(f.GetFID()) + ": --target field '" + field +
                                    "' " + problem + (task == Task::Regression ? " (--task regression needs numbers)" : "") +
                                    "; --skip-invalid drops such features");
                ++dropped;
                continue;
            }
            p.lon.push_back(batch.lon[k]);
            p.lat.push_back(batch.lat[k]);
            p.fid.push_back(f.GetFID());
            if (task == Task::Regression) p.values.push_back(v);
            else p.texts.push_back(std::move(text));
        }
    }
    if (reader.skipped() > 0)
        log::warn(p.where + ": skipped " + std::to_string(reader.skipped()) +
                  " feature(s) with null, empty or out-of-range geometry (--skip-invalid)");
    if (dropped > 0)
        log::warn(p.where + ": dropped " + std::to_string(dropped) + " feature(s) without a usable '" + field +
                  "' (--skip-invalid)");
    if (p.size() == 0) throw DataError(p.where + ": no labelled points");
    return p;
}

std::set<std::int64_t> matching_fids(const std::string& input, io::ReaderOptions opts, const std::string& where) {
    opts.where = opts.where.empty() ? where : "(" + opts.where + ") AND (" + where + ")";
    opts.where_option = "--val-where";  // (with --where, when both are given)
    opts.skip_invalid = true;  // the same features read_labelled_points keeps or reports
    io::VectorReader reader(input, opts);
    std::set<std::int64_t> fids;
    io::FeatureBatch batch;
    while (reader.next(batch, 65536))
        for (const auto& f : batch.features) fids.insert(f->GetFID());
    return fids;
}

std::string data_sha256(const LabelledPoints& p, Task task) {
    std::string bytes;
    auto put = [&](const void* data, std::size_t n) { bytes.append(static_cast<const char*>(data), n); };
    for (std::size_t i = 0; i < p.size(); ++i) {
        put(&p.lon[i], sizeof(double));
        put(&p.lat[i], sizeof(double));
        if (task == Task::Regression) put(&p.values[i], sizeof(double));
        else bytes += p.texts[i] + '\0';
    }
    return checkpoint::sha256_hex(bytes);
}

}  // namespace geoenc::tools
