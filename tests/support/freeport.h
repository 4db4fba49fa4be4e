#pragma once

#include <QtGlobal>

// A loopback port that was free a moment ago (0 if none could be found). Another process may
// take it before the caller binds it; fine for tests that start a server right away where a
// fixed port must be given (the app's settings have no "any port").
quint16 freeLoopbackPort();
