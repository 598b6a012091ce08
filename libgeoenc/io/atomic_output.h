#pragma once
// Never leave a partial output: a tool writes to a hidden temporary name in the
// target folder and renames it into place only after the dataset is closed
// cleanly. On an exception, or SIGINT/SIGTERM/SIGHUP, the temporary files go.
#include <string>
#include <vector>

namespace geoenc::io {

// A message (GDAL's) with every live output's hidden temporary name replaced
// by its final one, so that users read the file they asked for.
std::string with_final_names(std::string message);

class AtomicOutput {
public:
    // Refuses (DataError) an existing `final_path` unless overwrite is true.
    AtomicOutput(std::string final_path, bool overwrite);
    ~AtomicOutput();  // removes the temporary files unless commit() succeeded
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    // Where the driver should create the dataset. Same folder and extension as
    // the final path, so drivers that key on the extension behave the same.
    const std::string& temp_path() const { return temp_path_; }
    const std::string& final_path() const { return final_path_; }

    // Call after the dataset is closed. Renames the main file and every file
    // the driver wrote beside it under the temporary stem (.shx, .dbf, .hdr,
    // .aux.xml, ...). With overwrite, the old dataset's own files of the same
    // stem (GDAL's file list) go first, so none pairs with the new one; other
    // files of that stem (an input shapefile's .dbf beside a .gpkg output) stay.
    void commit();

private:
    void remove_temporaries() const;
    std::vector<std::string> sidecars() const;  // the temporary's, for the signal handler

    std::string final_path_;
    std::string temp_path_;
    std::string temp_stem_, final_stem_;  // paths without the extension
    bool overwrite_;
    bool committed_ = false;
};

}  // namespace geoenc::io
