#include "tests/support/externalprogram.h"

#include <QFileInfo>

QString ExternalProgram::path() const
{
    return qEnvironmentVariable(variable, QString::fromLatin1(defaultPath));
}

QString ExternalProgram::executable() const
{
    if (!inDirectory)
        return path();
    return path() + QLatin1Char('/') + QLatin1String(inDirectory);
}

bool ExternalProgram::isAvailable() const
{
    const QFileInfo info(executable());
    return info.isFile() && info.isExecutable();
}

QString ExternalProgram::unavailableReason() const
{
    return QStringLiteral("%1 not found at %2 (install the %3 package or set %4)")
        .arg(QLatin1String(name), executable(), QLatin1String(package), QLatin1String(variable));
}
