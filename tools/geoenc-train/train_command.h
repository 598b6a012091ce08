#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "train/trainer.h"
#include "train_report.h"
#include "training_points.h"

namespace geoenc::tools {

// geoenc-train INPUT OUTPUT.geoenc --target FIELD: fits a location encoder
// (from scratch, or a head on a frozen --model) to labelled points, writes it
// as a .geoenc model and prints a JSON report (validation, --eval test and
// --cv-blocks scores). geoenc-train --eval TEST MODEL.geoenc scores a trained model.
struct TestPoints {
    LabelledPoints points;
    std::vector<int64_t> classes;  // classification: index into the model's labels
};

class TrainCommand final : public cli::Command, private cli::VectorInputOptions {
public:
    TrainCommand();

private:
    void declare(cli::ArgTable& table) override;
    void setup(const cli::ParsedArgs& args) override;
    void run() override;

    void run_evaluation_only();
    train::Targets targets_of(const LabelledPoints& points) const;
    using Predict = std::function<std::vector<double>(const double* lon, const double* lat, std::size_t n)>;
    // --eval's points and their class indices (labels unseen in training are errors).
    TestPoints read_test(Task task, const std::vector<std::string>& labels, const std::string& field) const;
    Json evaluate(const PredictorSpec& spec, const TestPoints& test, const Predict& predict) const;
    // The fold of each point for --cv-blocks; fewer blocks than folds is a DataError.
    std::vector<int> cv_folds(const LabelledPoints& points, std::size_t& blocks) const;
    Json cross_validate(const train::Trainer& trainer, const LabelledPoints& points, const train::Targets& targets,
                        const std::vector<int>& folds, std::size_t blocks);
    train::Split validation_split(const LabelledPoints& points) const;

    std::string input_, output_, eval_, target_;
    io::ReaderOptions eval_reader_;
    Task task_ = Task::Classification;
    train::FitOptions fit_;
    double val_fraction_ = 0.1;
    std::string val_where_;
    double cv_blocks_ = 0;
    int cv_folds_ = 5;
    bool overwrite_ = false;
};

}  // namespace geoenc::tools
