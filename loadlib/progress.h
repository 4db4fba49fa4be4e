#pragma once

#include "loadlib/loadoptions.h"

#include <cstdio>

namespace Load {

// One line on stderr about the phase a run is in, so a long run shows it is alive; stdout
// stays free for the report.
inline void printProgress(const LoadOptions &options, const QString &line)
{
    if (!options.quiet)
        std::fprintf(stderr, "qtchat-load: %s\n", qPrintable(line));
}

} // namespace Load
