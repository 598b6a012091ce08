#include "embed_command.h"

int main(int argc, char** argv) { return geoenc::tools::EmbedCommand().main(argc, argv); }
