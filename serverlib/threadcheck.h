#pragma once

#include <QObject>
#include <QThread>

namespace Server {

// docs/architecture.md's threading rules ("an object is used in the thread it belongs to") are
// otherwise kept by convention alone; debug builds check them where a slip would be silent.
inline void assertOwnThread([[maybe_unused]] const QObject *object,
                            [[maybe_unused]] const char *where)
{
    Q_ASSERT_X(object->thread() == QThread::currentThread(), where,
               "called from a thread other than the object's own");
}

} // namespace Server
