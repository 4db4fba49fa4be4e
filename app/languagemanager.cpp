#include "app/languagemanager.h"

#include "app/appsettings.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QThread>
#include <QTranslator>

namespace App {

Q_LOGGING_CATEGORY(lcLanguage, "qtchat.language")

namespace {

// QCoreApplication's translator list is process-wide; so is what we put in it. GUI thread only.
struct Installed
{
    QString language = QStringLiteral("system");
    QLocale locale = QLocale(QLocale::English);
    QPointer<QTranslator> app;
    QPointer<QTranslator> qt;
};

Installed &installed()
{
    static Installed state;
    return state;
}

// Parented to the application, so that none outlives the list it is installed in.
QTranslator *load(const QLocale &locale, const QString &name, const QString &directory)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, QStringLiteral("_"), directory))
        return translator;
    delete translator;
    return nullptr;
}

void replace(QPointer<QTranslator> &slot, QTranslator *translator)
{
    if (slot) {
        QCoreApplication::removeTranslator(slot);
        delete slot;
    }
    slot = translator;
    if (translator)
        QCoreApplication::installTranslator(translator);
}

QLocale requestedLocale(const QString &language)
{
    return language == u"system" ? QLocale::system() : QLocale(language);
}

} // namespace

LanguageManager::LanguageManager(QObject *parent) : QObject(parent) { }

bool LanguageManager::apply(const QString &language)
{
    Q_ASSERT(QThread::currentThread() == QCoreApplication::instance()->thread());
    if (!AppSettings::languages().contains(language)) {
        qCWarning(lcLanguage) << "unknown language" << language;
        return false;
    }
    Installed &state = installed();
    QTranslator *app
        = load(requestedLocale(language), QStringLiteral("qtchat"), QStringLiteral(":/i18n"));
    // Qt's own texts (button boxes, context menus) follow the language the app resolved to:
    // a German system without a German QtChat gets English throughout, not a mix.
    state.locale = app ? QLocale(app->language()) : QLocale(QLocale::English);
    QTranslator *qt = load(state.locale, QStringLiteral("qtbase"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    replace(state.app, app);
    replace(state.qt, qt);
    state.language = language;
    qCInfo(lcLanguage) << "language" << language << "resolved to" << state.locale.name();
    Q_EMIT languageChanged(language);
    return true;
}

QString LanguageManager::currentLanguage()
{
    return installed().language;
}

QLocale LanguageManager::currentLocale()
{
    return installed().locale;
}

QString LanguageManager::displayName(const QString &language)
{
    if (language == u"en")
        return QStringLiteral("English");
    if (language == u"zh_CN")
        return QStringLiteral("中文");
    return tr("System");
}

} // namespace App
