// safeval: the command-line entry point. All logic lives in libsafeval; see cli/.
#include "cli/cli.h"

int main(int argc, char** argv) { return safeval::RunCli(argc, argv); }
