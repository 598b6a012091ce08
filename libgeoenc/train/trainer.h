#pragma once
// Fitting a location encoder to labelled points (geoenc-train): from scratch
// (a positional encoding + a network trained end to end, the SH+SIREN paper's
// implicit neural representation) or as a probe (a linear or MLP head trained
// on the frozen embeddings of a pretrained encoder, SatCLIP's downstream
// protocol). Adam with weight decay, a cosine learning-rate schedule over
// --epochs, early stopping on the validation loss (the best epoch's weights
// are kept), optional balanced class weights; regression targets are
// standardised for training and de-standardised by the saved model.
//
// Reproducible on the CPU for a given seed and thread count: initialisation
// and batch order come from the seed alone. On CUDA (FitOptions::device) the
// same code runs on device tensors.
//
// Torch-free interface (the tool holds these); the work is in trainer.cpp.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/prediction_head.h"
#include "core/runtime.h"
#include "train/data_split.h"
#include "train/net_spec.h"

namespace geoenc::train {

struct Targets {
    Task task = Task::Classification;
    std::string target;               // the field name, recorded in the model
    std::vector<std::string> labels;  // classification: class k is labels[k]
    std::vector<int64_t> classes;     // classification: one class index per point
    std::vector<double> values;       // regression: one value per point
};

struct FitOptions {
    std::string pe = "sh:L=10";  // from scratch: the positional encoding
    NetSpec net;                 // from scratch: the network
    std::string base_model;      // probe: a .geoenc/.pt/.ckpt file or spec; empty to fit from scratch
    std::string base_name;       // probe: the name to record (e.g. a registry name)
    HeadSpec head;               // probe: the head
    int epochs = 100;
    std::size_t batch_size = 512;
    double lr = 1e-4;
    double weight_decay = 0.0;
    std::uint64_t seed = 0;
    int patience = 20;      // epochs without a better validation loss; 0: never stop early
    bool balanced = false;  // class weights n / (K n_k)
    double dropout = 0.0;   // after each hidden layer while training (SH+SIREN's code uses it)
    // Where the training runs: Auto is CUDA when this build's LibTorch has a
    // device. Parameters are initialised on the CPU from the seed either way;
    // byte-identical reruns are promised on the CPU only.
    DeviceKind device = DeviceKind::Cpu;
};

struct EpochReport {
    int epoch = 0, epochs = 0;  // 1-based
    double lr = 0, train_loss = 0;
    double val_loss = 0, val_accuracy = 0;  // NaN without a validation split (accuracy: classification)
    bool best = false;                      // the best validation loss so far
};

struct FitSummary {
    int epochs_run = 0, best_epoch = 0;
    double train_loss = 0, best_val_loss = 0;  // best_val_loss NaN without a validation split
    bool stopped_early = false;
    double seconds = 0;
    std::size_t n_train = 0, n_val = 0;
};

class TrainedModel {
public:
    virtual ~TrainedModel() = default;
    virtual const PredictorSpec& spec() const = 0;
    virtual const FitSummary& summary() const = 0;
    // "sh:L=20,convention=satclip + siren:256x2,w0_initial=30,w0=1", or the base model and head.
    virtual std::string architecture() const = 0;
    // n x spec().outputs(): class probabilities or values, through the same
    // encoder geoenc-embed builds from the saved file.
    virtual std::vector<double> predict(const double* lon, const double* lat, std::size_t n) = 0;
    // A .geoenc file (format version 2); `training_json` (an object) is stored
    // as the predictor's training metadata. Atomic; refuses to replace a file
    // unless `overwrite`.
    virtual void save(const std::string& path, bool overwrite, const std::string& training_json) = 0;
};

class Trainer {
public:
    // Computes every point's inputs once (the positional encoding, or the
    // frozen embeddings), shared by each fit on a subset (CV folds).
    // Throws UsageError for a bad --pe/--model, DataError for bad targets.
    Trainer(const double* lon, const double* lat, std::size_t n, Targets targets, FitOptions options);
    ~Trainer();
    std::size_t input_dim() const;
    // Trains on split.train, early-stops on split.val (may be empty).
    std::unique_ptr<TrainedModel> fit(const Split& split,
                                      const std::function<void(const EpochReport&)>& on_epoch = {}) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace geoenc::train
