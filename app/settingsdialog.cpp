#include "app/settingsdialog.h"

#include "app/appsettings.h"
#include "app/languagemanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace App {

namespace {

const char *const pageTitles[] = {
    QT_TRANSLATE_NOOP("App::SettingsDialog", "General"),
    QT_TRANSLATE_NOOP("App::SettingsDialog", "Limits and TLS"),
};

struct GroupSpec
{
    int page; // index into pageTitles
    const char *title;
};

// In page order: a page's groups are added, and retranslated, in the order of this table.
const GroupSpec groupSpecs[] = {
    {0, QT_TRANSLATE_NOOP("App::SettingsDialog", "Chat")},
    {0, QT_TRANSLATE_NOOP("App::SettingsDialog", "Server")},
    {0, QT_TRANSLATE_NOOP("App::SettingsDialog", "Interface")},
    {1, QT_TRANSLATE_NOOP("App::SettingsDialog", "Limits")},
    {1, QT_TRANSLATE_NOOP("App::SettingsDialog", "TLS")},
};

struct NamedCode
{
    const char *code;
    const char *text;
};

struct FieldSpec
{
    int group; // index into groupSpecs
    const char *key;
    const char *label;
};

const FieldSpec fieldSpecs[] = {
    {0, "nickname", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Nickname:")},
    {0, "autoJoinChannel", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Join at start:")},
    {1, "bindAddress", QT_TRANSLATE_NOOP("App::SettingsDialog", "Listen on &address:")},
    {1, "port", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Port:")},
    {1, "threadingModel", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Threading model:")},
    {1, "workers", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Worker threads:")},
    {1, "serverName", QT_TRANSLATE_NOOP("App::SettingsDialog", "Server &name:")},
    {1, "password", QT_TRANSLATE_NOOP("App::SettingsDialog", "Pass&word:")},
    {2, "language", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Language:")},
    {2, "logLineCap", QT_TRANSLATE_NOOP("App::SettingsDialog", "Log &keeps at most:")},
    {3, "maxClients", QT_TRANSLATE_NOOP("App::SettingsDialog", "Max. &clients:")},
    {3, "maxClientsPerIp", QT_TRANSLATE_NOOP("App::SettingsDialog", "Clients per &IP address:")},
    {3, "maxChannelsPerClient", QT_TRANSLATE_NOOP("App::SettingsDialog", "C&hannels per client:")},
    {3, "sendQueueBytes", QT_TRANSLATE_NOOP("App::SettingsDialog", "&Send queue per client:")},
    {3, "floodBurstLines", QT_TRANSLATE_NOOP("App::SettingsDialog", "Flood &burst:")},
    {3, "floodLinesPerSecond", QT_TRANSLATE_NOOP("App::SettingsDialog", "Flood &rate:")},
    {3, "registrationTimeoutSeconds",
     QT_TRANSLATE_NOOP("App::SettingsDialog", "Re&gistration timeout:")},
    {3, "pingIntervalSeconds", QT_TRANSLATE_NOOP("App::SettingsDialog", "P&ing interval:")},
    {3, "pingTimeoutSeconds", QT_TRANSLATE_NOOP("App::SettingsDialog", "Ping time&out:")},
    {3, "liftLimits", QT_TRANSLATE_NOOP("App::SettingsDialog", "Load tests:")},
    {4, "tlsCertificatePath", QT_TRANSLATE_NOOP("App::SettingsDialog", "Certi&ficate file:")},
    {4, "tlsKeyPath", QT_TRANSLATE_NOOP("App::SettingsDialog", "Pri&vate key file:")},
};

// Why each limit exists, in one sentence: the tooltip of its editor.
const NamedCode limitToolTips[] = {
    {"maxClients",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "Caps the clients connected at once, so that a runaway script cannot use "
                       "up the server's memory and file handles; 0 means no cap.")},
    {"maxClientsPerIp",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "Stops one computer from taking every connection; keep it high enough "
                       "for a classroom or an office that shares one router.")},
    {"maxChannelsPerClient",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "Stops one client from filling the server with channels; 0 means no "
                       "cap.")},
    {"sendQueueBytes",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "How much unsent output a client that stops reading may pile up before "
                       "it is disconnected, so that one stalled client cannot eat the memory.")},
    {"floodBurstLines",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "How many lines a client may send in one go before flood control slows "
                       "it down; large enough for what a client sends when it connects.")},
    {"floodLinesPerSecond",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "The pace a client may keep up after its burst, so that no one can drown "
                       "a channel in messages; 0 turns flood control off.")},
    {"registrationTimeoutSeconds",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "Closes connections that never finish signing in, so that idle or "
                       "half-open sockets do not pile up.")},
    {"pingIntervalSeconds",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "After this much silence the server sends a PING, to find clients whose "
                       "connection died without a word.")},
    {"pingTimeoutSeconds",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "How long a client has to answer a PING before it counts as gone; "
                       "generous enough for a laptop waking from sleep.")},
    {"liftLimits",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "For benchmarks and load tests only: with thousands of simulated clients "
                       "on one machine, flood control and the caps would stop the test itself; "
                       "line, buffer and send-queue limits and timeouts stay.")},
    {"tlsCertificatePath",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "The server's certificate (PEM): with it and its key, every client must "
                       "connect over TLS, so that no one else on the network can read the "
                       "chat.")},
    {"tlsKeyPath",
     QT_TRANSLATE_NOOP("App::SettingsDialog",
                       "The certificate's private key (PEM, not password-protected); keep the "
                       "file readable by you only.")},
};

const NamedCode threadingModels[] = {
    {"per-connection", QT_TRANSLATE_NOOP("App::SettingsDialog", "One thread per connection")},
    {"pool", QT_TRANSLATE_NOOP("App::SettingsDialog", "Thread pool")},
    {"single", QT_TRANSLATE_NOOP("App::SettingsDialog", "Single thread")},
};

struct SpinRange
{
    const char *key;
    int minimum;
    int maximum;
    int step;
};

// The limits AppSettings validates; the spin boxes keep the user inside them. The few values
// inside that are still invalid (a send queue of 100 bytes) get an error under the field.
const SpinRange spinRanges[] = {
    {"port", 1, 65535, 1},
    {"workers", 0, 256, 1},
    {"logLineCap", 1000, 1000000, 1000},
    {"maxClients", 0, AppSettings::MaxLimitCount, 100},
    {"maxClientsPerIp", 0, AppSettings::MaxLimitCount, 1},
    {"maxChannelsPerClient", 0, AppSettings::MaxLimitCount, 1},
    {"sendQueueBytes", 0, AppSettings::MaxSendQueueBytes, 64 * 1024},
    {"floodBurstLines", 0, AppSettings::MaxLimitCount, 1},
    {"floodLinesPerSecond", 0, AppSettings::MaxLimitCount, 1},
    {"registrationTimeoutSeconds", 0, AppSettings::MaxLimitSeconds, 10},
    {"pingIntervalSeconds", 0, AppSettings::MaxLimitSeconds, 10},
    {"pingTimeoutSeconds", 0, AppSettings::MaxLimitSeconds, 10},
};

// The unit after a spin box's number, and the text shown instead of its minimum (usually 0,
// where that turns the limit off).
struct SpinText
{
    const char *key;
    const char *suffix;
    const char *special;
};

const SpinText spinTexts[] = {
    {"workers", nullptr, QT_TRANSLATE_NOOP("App::SettingsDialog", "Automatic (one per core)")},
    {"logLineCap", QT_TRANSLATE_NOOP("App::SettingsDialog", " lines"), nullptr},
    {"maxClients", nullptr, QT_TRANSLATE_NOOP("App::SettingsDialog", "No cap")},
    {"maxClientsPerIp", nullptr, QT_TRANSLATE_NOOP("App::SettingsDialog", "No cap")},
    {"maxChannelsPerClient", nullptr, QT_TRANSLATE_NOOP("App::SettingsDialog", "No cap")},
    {"sendQueueBytes", QT_TRANSLATE_NOOP("App::SettingsDialog", " bytes"),
     QT_TRANSLATE_NOOP("App::SettingsDialog", "No cap")},
    {"floodBurstLines", QT_TRANSLATE_NOOP("App::SettingsDialog", " lines"), nullptr},
    {"floodLinesPerSecond", QT_TRANSLATE_NOOP("App::SettingsDialog", " lines/s"),
     QT_TRANSLATE_NOOP("App::SettingsDialog", "No flood control")},
    {"registrationTimeoutSeconds", QT_TRANSLATE_NOOP("App::SettingsDialog", " s"),
     QT_TRANSLATE_NOOP("App::SettingsDialog", "No timeout")},
    {"pingIntervalSeconds", QT_TRANSLATE_NOOP("App::SettingsDialog", " s"),
     QT_TRANSLATE_NOOP("App::SettingsDialog", "Never")},
    {"pingTimeoutSeconds", QT_TRANSLATE_NOOP("App::SettingsDialog", " s"), nullptr},
};

const SpinRange *spinRange(const QString &key)
{
    for (const SpinRange &range : spinRanges) {
        if (key == QLatin1StringView(range.key))
            return &range;
    }
    return nullptr;
}

bool isPathKey(const QString &key)
{
    return key == u"tlsCertificatePath" || key == u"tlsKeyPath";
}

QAbstractSpinBox *createSpinBox(const QString &key)
{
    const SpinRange *range = spinRange(key);
    if (key == u"floodLinesPerSecond") {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(2); // 0.25 lines/s from a hand-edited file survives a round trip
        spin->setRange(range->minimum, range->maximum);
        spin->setSingleStep(range->step);
        return spin;
    }
    auto *spin = new QSpinBox;
    spin->setRange(range->minimum, range->maximum);
    spin->setSingleStep(range->step);
    spin->setGroupSeparatorShown(key == u"logLineCap" || key == u"sendQueueBytes");
    return spin;
}

void setSpinTexts(QWidget *editor, const QString &suffix, const QString &special)
{
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        spin->setSuffix(suffix);
    else if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor))
        spin->setSuffix(suffix);
    static_cast<QAbstractSpinBox *>(editor)->setSpecialValueText(special);
}

QComboBox *createComboBox(const QString &key)
{
    auto *combo = new QComboBox;
    if (key == u"threadingModel") {
        for (const NamedCode &model : threadingModels)
            combo->addItem(QString(), QString::fromLatin1(model.code));
    } else {
        for (const QString &language : AppSettings::languages())
            combo->addItem(QString(), language);
    }
    return combo;
}

QLabel *createNote(QWidget *parent, const QColor &color)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, color);
    label->setPalette(palette);
    label->hide();
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    buildUi();
    loadValues();
    retranslateUi();
}

QWidget *SettingsDialog::editor(const QString &key) const
{
    const Field *found = field(key);
    return found ? found->editor : nullptr;
}

QLabel *SettingsDialog::errorLabel(const QString &key) const
{
    const Field *found = field(key);
    return found ? found->error : nullptr;
}

void SettingsDialog::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    for (int page = 0; page < int(std::size(pageTitles)); ++page)
        m_tabs->addTab(addPage(page), QString());
    layout->addWidget(m_tabs);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(m_buttons);

    auto *bind = static_cast<QLineEdit *>(editor(QStringLiteral("bindAddress")));
    connect(bind, &QLineEdit::textChanged, this, &SettingsDialog::updateBindWarning);
    auto *threading = static_cast<QComboBox *>(editor(QStringLiteral("threadingModel")));
    connect(threading, &QComboBox::currentIndexChanged, this,
            &SettingsDialog::updateWorkersEnabled);
}

QWidget *SettingsDialog::addPage(int page)
{
    auto *widget = new QWidget(this);
    auto *column = new QVBoxLayout(widget);
    for (int group = 0; group < int(std::size(groupSpecs)); ++group) {
        if (groupSpecs[group].page == page)
            column->addWidget(addGroup(group));
    }
    column->addStretch();
    m_pages.append(widget);
    return widget;
}

QGroupBox *SettingsDialog::addGroup(int group)
{
    auto *box = new QGroupBox(this);
    new QFormLayout(box);
    for (const FieldSpec &spec : fieldSpecs) {
        if (spec.group == group)
            addField(box, QString::fromLatin1(spec.key), spec.label);
    }
    m_groups.append(box);
    return box;
}

void SettingsDialog::addField(QGroupBox *group, const QString &key, const char *labelText)
{
    // Editor, error and (for the address) warning stacked in the field column, so that a
    // message appears right under the value it is about.
    auto *cell = new QWidget(group);
    auto *column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    QWidget *editor = createEditor(key);
    editor->setObjectName(key);
    column->addWidget(isPathKey(key) ? withBrowseButton(editor, key) : editor);
    QLabel *error = createNote(cell, QColor(0xc6, 0x28, 0x28));
    error->setObjectName(key + QStringLiteral("Error"));
    column->addWidget(error);
    if (key == u"bindAddress") {
        m_bindWarning = createNote(cell, QColor(0xb2, 0x6a, 0x00));
        m_bindWarning->setObjectName(QStringLiteral("bindAddressWarning"));
        column->addWidget(m_bindWarning);
    }
    auto *label = new QLabel(group);
    label->setBuddy(editor);
    static_cast<QFormLayout *>(group->layout())->addRow(label, cell);
    m_fields.append({key, labelText, label, editor, error});
}

QWidget *SettingsDialog::createEditor(const QString &key)
{
    if (key == u"threadingModel" || key == u"language")
        return createComboBox(key);
    if (spinRange(key))
        return createSpinBox(key);
    if (key == u"liftLimits")
        return new QCheckBox;
    auto *line = new QLineEdit;
    if (key == u"password")
        line->setEchoMode(QLineEdit::Password);
    return line;
}

QWidget *SettingsDialog::withBrowseButton(QWidget *editor, const QString &key)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(editor, 1);
    auto *button = new QPushButton(row);
    button->setObjectName(key + QStringLiteral("Browse"));
    connect(button, &QPushButton::clicked, this, [this, key] { browse(key); });
    layout->addWidget(button);
    return row;
}

void SettingsDialog::browse(const QString &key)
{
    auto *line = static_cast<QLineEdit *>(editor(key));
    const QString caption = key == u"tlsKeyPath" ? tr("Choose the TLS private key")
                                                 : tr("Choose the TLS certificate");
    const QString current = line->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(
        this, caption, current.isEmpty() ? QString() : QFileInfo(current).path(),
        tr("PEM files (*.pem *.crt *.key);;All files (*)"));
    if (!path.isEmpty())
        line->setText(QDir::toNativeSeparators(path));
}

void SettingsDialog::loadValues()
{
    const AppSettings *settings = AppSettings::instance();
    for (const Field &entry : std::as_const(m_fields))
        setEditorValue(entry.editor, settings->property(entry.key.toLatin1().constData()));
    updateBindWarning();
    updateWorkersEnabled();
}

void SettingsDialog::setEditorValue(QWidget *editor, const QVariant &value)
{
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        line->setText(value.toString());
    else if (auto *spin = qobject_cast<QSpinBox *>(editor))
        spin->setValue(value.toInt());
    else if (auto *spin = qobject_cast<QDoubleSpinBox *>(editor))
        spin->setValue(value.toDouble());
    else if (auto *check = qobject_cast<QCheckBox *>(editor))
        check->setChecked(value.toBool());
    else if (auto *combo = qobject_cast<QComboBox *>(editor))
        combo->setCurrentIndex(qMax(0, combo->findData(value)));
}

QVariant SettingsDialog::editorValue(const QWidget *editor) const
{
    if (auto *line = qobject_cast<const QLineEdit *>(editor)) {
        // Stray spaces around a nick or an address are a typing accident, not a choice.
        const bool secret = line->echoMode() == QLineEdit::Password;
        return secret ? line->text() : line->text().trimmed();
    }
    if (auto *spin = qobject_cast<const QSpinBox *>(editor))
        return spin->value();
    if (auto *spin = qobject_cast<const QDoubleSpinBox *>(editor))
        return spin->value();
    if (auto *check = qobject_cast<const QCheckBox *>(editor))
        return check->isChecked();
    if (auto *combo = qobject_cast<const QComboBox *>(editor))
        return combo->currentData();
    return {};
}

QVariantMap SettingsDialog::formValues() const
{
    QVariantMap values;
    for (const Field &entry : m_fields)
        values.insert(entry.key, editorValue(entry.editor));
    return values;
}

QHash<QString, QString> SettingsDialog::problems() const
{
    QHash<QString, QString> reasons;
    for (const Field &entry : m_fields) {
        const QString reason = AppSettings::validationError(entry.key, editorValue(entry.editor));
        if (!reason.isEmpty())
            reasons.insert(entry.key, reason);
    }
    // Pairs are judged only once each value passes alone: a reason about a pair whose member
    // is itself wrong would point the user at the wrong field.
    if (reasons.isEmpty()) {
        QString key;
        const QString reason = AppSettings::instance()->combinationError(formValues(), &key);
        if (!reason.isEmpty())
            reasons.insert(key, reason);
    }
    return reasons;
}

bool SettingsDialog::checkAll()
{
    const QHash<QString, QString> reasons = problems();
    const Field *firstInvalid = nullptr;
    for (const Field &entry : std::as_const(m_fields)) {
        const QString reason = reasons.value(entry.key);
        showError(entry.key, reason);
        if (!reason.isEmpty() && !firstInvalid)
            firstInvalid = &entry;
    }
    if (firstInvalid)
        reveal(firstInvalid->editor);
    return !firstInvalid;
}

void SettingsDialog::reveal(QWidget *editor)
{
    // The first problem may be on the tab that is not showing.
    for (QWidget *page : std::as_const(m_pages)) {
        if (page->isAncestorOf(editor))
            m_tabs->setCurrentWidget(page);
    }
    editor->setFocus();
}

bool SettingsDialog::apply()
{
    // All or nothing: a half-applied form would leave Cancel unable to discard the rest.
    if (!checkAll())
        return false;
    AppSettings *settings = AppSettings::instance();
    bool rejected = false;
    // checkAll() asked the same rules, so this should stay silent; if a setter still says
    // no, the user sees why instead of a dialog that closed over a value that was not kept.
    const QMetaObject::Connection connection
        = connect(settings, &AppSettings::valueRejected, this,
                  [this, &rejected](const QString &key, const QString &reason) {
                      showError(key, reason);
                      rejected = true;
                  });
    for (const Field &entry : std::as_const(m_fields))
        settings->setProperty(entry.key.toLatin1().constData(), editorValue(entry.editor));
    disconnect(connection);
    return !rejected;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}

void SettingsDialog::showError(const QString &key, const QString &reason)
{
    if (const Field *found = field(key)) {
        found->error->setText(reason);
        found->error->setVisible(!reason.isEmpty());
        growToFit();
    }
}

void SettingsDialog::growToFit()
{
    // A message that appears needs room; an open dialog does not grow by itself everywhere.
    if (!isVisible())
        return;
    layout()->activate();
    resize(size().expandedTo(sizeHint()));
}

const SettingsDialog::Field *SettingsDialog::field(const QString &key) const
{
    for (const Field &entry : m_fields) {
        if (entry.key == key)
            return &entry;
    }
    return nullptr;
}

void SettingsDialog::updateBindWarning()
{
    // Listening beyond this machine is an explicit choice: say so while it is being made.
    const QString warning = AppSettings::bindAddressWarning(
        editorValue(editor(QStringLiteral("bindAddress"))).toString());
    m_bindWarning->setText(warning);
    m_bindWarning->setVisible(!warning.isEmpty());
    growToFit();
}

void SettingsDialog::updateWorkersEnabled()
{
    const QVariant model = editorValue(editor(QStringLiteral("threadingModel")));
    editor(QStringLiteral("workers"))->setEnabled(model == QStringLiteral("pool"));
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QDialog::changeEvent(event);
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    for (int page = 0; page < m_tabs->count(); ++page)
        m_tabs->setTabText(page, tr(pageTitles[page]));
    for (int group = 0; group < m_groups.size(); ++group)
        m_groups[group]->setTitle(tr(groupSpecs[group].title));
    for (const Field &entry : std::as_const(m_fields))
        entry.label->setText(tr(entry.labelText));
    updateBindWarning();
    retranslateEditors();
    // Reasons already on screen are re-asked, so they too switch language.
    const QHash<QString, QString> reasons = problems();
    for (const Field &entry : std::as_const(m_fields)) {
        if (!entry.error->isHidden())
            showError(entry.key, reasons.value(entry.key));
    }
}

void SettingsDialog::retranslateEditors()
{
    auto *threading = static_cast<QComboBox *>(editor(QStringLiteral("threadingModel")));
    for (int i = 0; i < threading->count(); ++i)
        threading->setItemText(i, tr(threadingModels[i].text));
    auto *language = static_cast<QComboBox *>(editor(QStringLiteral("language")));
    for (int i = 0; i < language->count(); ++i)
        language->setItemText(i, LanguageManager::displayName(language->itemData(i).toString()));
    for (const SpinText &text : spinTexts) {
        setSpinTexts(editor(QString::fromLatin1(text.key)),
                     text.suffix ? tr(text.suffix) : QString(),
                     text.special ? tr(text.special) : QString());
    }
    for (const NamedCode &tip : limitToolTips)
        editor(QString::fromLatin1(tip.code))->setToolTip(tr(tip.text));
    static_cast<QCheckBox *>(editor(QStringLiteral("liftLimits")))
        ->setText(tr("&Lift flood control and the client and channel caps"));
    for (const char *key : {"tlsCertificatePath", "tlsKeyPath"})
        findChild<QPushButton *>(QLatin1StringView(key) + QStringLiteral("Browse"))
            ->setText(tr("Browse..."));
    editor(QStringLiteral("workers"))
        ->setToolTip(tr("Only the thread pool uses this; the other models decide for "
                        "themselves."));
    editor(QStringLiteral("bindAddress"))
        ->setToolTip(tr("127.0.0.1 accepts connections from this computer only; 0.0.0.0 "
                        "from every network this computer is on."));
    editor(QStringLiteral("password"))
        ->setToolTip(tr("Clients must send this password to connect. Leave it empty for "
                        "an open server."));
}

} // namespace App
