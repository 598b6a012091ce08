#include "model_command.h"

int main(int argc, char** argv) { return geoenc::tools::ModelCommand().main(argc, argv); }
