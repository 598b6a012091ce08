#include "ot_command.h"

int main(int argc, char** argv) { return geoenc::tools::OtCommand().main(argc, argv); }
