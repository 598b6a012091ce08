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
    // Scores on --eval's points (labels unseen in training are errors).
    Json evaluate(const PredictorSpec& spec, const Predict& predict) const;
    Json cross_validate(const train::Trainer& trainer, const LabelledPoints& points, const train::Targets& targets);
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
