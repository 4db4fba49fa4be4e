#pragma once

#include <QLocale>
#include <QObject>
#include <QString>

namespace App {

// Switches the UI language at runtime: installs the app's translation (embedded under
// :/i18n by qt_add_translations) and Qt's own qtbase_<lang>.qm, replacing whatever an earlier
// apply() installed. QCoreApplication then sends QEvent::LanguageChange to every widget, whose
// changeEvent() calls its retranslateUi().
//
// The installed translators are process-wide (so are QCoreApplication's), so every
// LanguageManager shares them: apply() on any instance replaces the language for all. Call it
// from the GUI thread only.
class LanguageManager : public QObject
{
    Q_OBJECT

public:
    explicit LanguageManager(QObject *parent = nullptr);

    // "system", "en" or "zh_CN" (AppSettings::languages()); false for anything else, and
    // nothing changes then. A system language without a QtChat translation gives English.
    bool apply(const QString &language);

    // What the last apply() asked for ("system" before any), and the language it resolved to
    // ("en" when no translation was found).
    static QString currentLanguage();
    static QLocale currentLocale();
    // For menus: a language's name in that language ("English", "中文"); "system" translated.
    static QString displayName(const QString &language);

Q_SIGNALS:
    void languageChanged(const QString &language);
};

} // namespace App
