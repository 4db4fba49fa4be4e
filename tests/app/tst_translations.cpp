#include "app/languagemanager.h"

#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

// The .ts files are complete and consistent, and the .qm files built from them are embedded
// where LanguageManager looks for them.
class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void complete_data();
    void complete();
    void placeholdersKept_data();
    void placeholdersKept();
    void tutorialLogLineInChinese();
    void languageManagerSwitches();
    void unknownLanguageIsRefused();

private:
    void verifyEnglishPlural();
};

namespace {

const QString TutorialLine = QStringLiteral("Message received from client:");
const QString TutorialLineZh = QStringLiteral("收到客户端发来的消息:");

struct TsMessage
{
    QString context;
    QString source;
    QString type; // of <translation>: "", "unfinished", "vanished" or "obsolete"
    QStringList forms; // the translation, or each <numerusform>

    bool isCurrent() const { return type != u"vanished" && type != u"obsolete"; }
    QString where() const { return context + QStringLiteral(": ") + source; }
};

QString tsPath(const QString &language)
{
    return QStringLiteral(QTCHAT_TS_DIR "/qtchat_%1.ts").arg(language);
}

void readTranslation(QXmlStreamReader &xml, TsMessage &message)
{
    message.type = xml.attributes().value(QLatin1StringView("type")).toString();
    QString text;
    while (xml.readNext() != QXmlStreamReader::EndElement || xml.name() != u"translation") {
        if (xml.isStartElement() && xml.name() == u"numerusform")
            message.forms << xml.readElementText();
        else if (xml.isCharacters())
            text += xml.text();
    }
    if (message.forms.isEmpty())
        message.forms << text;
}

TsMessage readMessage(QXmlStreamReader &xml, const QString &context)
{
    TsMessage message {context, {}, {}, {}};
    while (xml.readNextStartElement()) {
        if (xml.name() == u"source")
            message.source = xml.readElementText();
        else if (xml.name() == u"translation")
            readTranslation(xml, message);
        else
            xml.skipCurrentElement();
    }
    return message;
}

QList<TsMessage> readTs(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s: %s", qPrintable(path), qPrintable(file.errorString()));
    QXmlStreamReader xml(&file);
    QList<TsMessage> messages;
    QString context;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name")
            context = xml.readElementText();
        else if (xml.name() == u"message")
            messages << readMessage(xml, context);
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%L?(\\d+|n)"));
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found << match.captured();
    found.sort();
    found.removeDuplicates();
    return found;
}

void addLanguageRows()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("zh_CN") << tsPath(QStringLiteral("zh_CN"));
    QTest::newRow("en (plural forms only)") << tsPath(QStringLiteral("en"));
}

// Counts QEvent::LanguageChange reaching the application object.
class LanguageChangeCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::LanguageChange)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

void TestTranslations::complete_data()
{
    addLanguageRows();
}

void TestTranslations::complete()
{
    QFETCH(QString, path);
    QStringList missing;
    for (const TsMessage &message : readTs(path)) {
        const bool empty = message.forms.contains(QString());
        if (message.isCurrent() && (message.type == u"unfinished" || empty))
            missing << message.where();
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 untranslated in %2 (run scripts/update-translations, "
                                       "then translate them):\n  %3")
                            .arg(missing.size())
                            .arg(path, missing.join(QStringLiteral("\n  ")))));
}

void TestTranslations::placeholdersKept_data()
{
    addLanguageRows();
}

void TestTranslations::placeholdersKept()
{
    // A translation that drops %1 loses the value; one that adds %2 prints a literal "%2".
    QFETCH(QString, path);
    QStringList broken;
    for (const TsMessage &message : readTs(path)) {
        for (const QString &form : message.forms) {
            if (message.isCurrent() && !form.isEmpty()
                && placeholders(form) != placeholders(message.source))
                broken << message.where() + QStringLiteral(" -> ") + form;
        }
    }
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(QLatin1Char('\n'))));
}

void TestTranslations::tutorialLogLineInChinese()
{
    // Wherever the tutorial's log line is used ("...:" alone or followed by the text), the
    // built .qm gives it the tutorial's wording.
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/qtchat_zh_CN.qm")));
    int checked = 0;
    for (const TsMessage &message : readTs(tsPath(QStringLiteral("zh_CN")))) {
        if (!message.isCurrent() || !message.source.startsWith(TutorialLine))
            continue;
        const QByteArray context = message.context.toUtf8();
        const QByteArray source = message.source.toUtf8();
        QCOMPARE(translator.translate(context.constData(), source.constData()),
                 TutorialLineZh + message.source.mid(TutorialLine.size()));
        ++checked;
    }
    QVERIFY2(checked > 0, "no tr(\"Message received from client:...\") in the sources");
}

void TestTranslations::languageManagerSwitches()
{
    QString context;
    for (const TsMessage &message : readTs(tsPath(QStringLiteral("zh_CN")))) {
        if (message.isCurrent() && message.source == TutorialLine)
            context = message.context;
    }
    const QByteArray name = context.toUtf8();
    const auto tutorialLine = [&name] {
        return QCoreApplication::translate(name.constData(), "Message received from client:");
    };
    LanguageChangeCounter counter;
    QCoreApplication::instance()->installEventFilter(&counter);
    App::LanguageManager manager;

    QVERIFY(manager.apply(QStringLiteral("zh_CN")));
    QCOMPARE(tutorialLine(), TutorialLineZh);
    QCOMPARE(App::LanguageManager::currentLocale().language(), QLocale::Chinese);
    QVERIFY(counter.count > 0);

    counter.count = 0;
    QVERIFY(manager.apply(QStringLiteral("en")));
    QCOMPARE(tutorialLine(), TutorialLine);
    QCOMPARE(App::LanguageManager::currentLanguage(), QStringLiteral("en"));
    QCOMPARE(App::LanguageManager::currentLocale().language(), QLocale::English);
    QVERIFY(counter.count > 0);
    QCoreApplication::instance()->removeEventFilter(&counter);
    verifyEnglishPlural();
}

void TestTranslations::verifyEnglishPlural()
{
    // English keeps its source texts, except "%n item(s)" which becomes "1 item".
    for (const TsMessage &message : readTs(tsPath(QStringLiteral("en")))) {
        if (!message.isCurrent() || message.forms.size() < 2)
            continue;
        const QByteArray context = message.context.toUtf8();
        const QByteArray source = message.source.toUtf8();
        QString one = message.forms.constFirst();
        one.replace(QStringLiteral("%Ln"), QStringLiteral("1"))
            .replace(QStringLiteral("%n"), QStringLiteral("1"));
        QCOMPARE(QCoreApplication::translate(context.constData(), source.constData(), nullptr, 1),
                 one);
        return;
    }
    QSKIP("no plural forms in qtchat_en.ts");
}

void TestTranslations::unknownLanguageIsRefused()
{
    App::LanguageManager manager;
    QVERIFY(manager.apply(QStringLiteral("zh_CN")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("unknown language")));
    QVERIFY(!manager.apply(QStringLiteral("fr")));
    QCOMPARE(App::LanguageManager::currentLanguage(), QStringLiteral("zh_CN"));
    QVERIFY(manager.apply(QStringLiteral("system")));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
