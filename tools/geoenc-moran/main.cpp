#include "moran_command.h"

int main(int argc, char** argv) { return geoenc::tools::MoranCommand().main(argc, argv); }
