#include "rasterize_command.h"

int main(int argc, char** argv) { return geoenc::tools::RasterizeCommand().main(argc, argv); }
