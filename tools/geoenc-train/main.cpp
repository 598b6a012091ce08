#include "train_command.h"

int main(int argc, char** argv) { return geoenc::tools::TrainCommand().main(argc, argv); }
