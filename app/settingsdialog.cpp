#include "settingsdialog.h"

#include "appsettings.h"
#include "languagemanager.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

const char *const groupTitles[] = {
    QT_TRANSLATE_NOOP("SettingsDialog", "Chat"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Server"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Interface"),
};

struct FieldSpec
{
    int group; // index into groupTitles
    const char *key;
    const char *label;
};

const FieldSpec fieldSpecs[] = {
    {0, "nickname", QT_TRANSLATE_NOOP("SettingsDialog", "&Nickname:")},
    {0, "autoJoinChannel", QT_TRANSLATE_NOOP("SettingsDialog", "&Join at start:")},
    {1, "bindAddress", QT_TRANSLATE_NOOP("SettingsDialog", "Listen on &address:")},
    {1, "port", QT_TRANSLATE_NOOP("SettingsDialog", "&Port:")},
    {1, "threadingModel", QT_TRANSLATE_NOOP("SettingsDialog", "&Threading model:")},
    {1, "workers", QT_TRANSLATE_NOOP("SettingsDialog", "&Worker threads:")},
    {1, "serverName", QT_TRANSLATE_NOOP("SettingsDialog", "Server &name:")},
    {1, "password", QT_TRANSLATE_NOOP("SettingsDialog", "Pass&word:")},
    {2, "language", QT_TRANSLATE_NOOP("SettingsDialog", "&Language:")},
    {2, "logLineCap", QT_TRANSLATE_NOOP("SettingsDialog", "Log &keeps at most:")},
};

struct NamedCode
{
    const char *code;
    const char *text;
};

const NamedCode threadingModels[] = {
    {"per-connection", QT_TRANSLATE_NOOP("SettingsDialog", "One thread per connection")},
    {"pool", QT_TRANSLATE_NOOP("SettingsDialog", "Thread pool")},
    {"single", QT_TRANSLATE_NOOP("SettingsDialog", "Single thread")},
};

struct SpinRange
{
    const char *key;
    int minimum;
    int maximum;
    int step;
};

// The limits AppSettings validates; the spin boxes keep the user inside them.
const SpinRange spinRanges[] = {
    {"port", 1, 65535, 1},
    {"workers", 0, 256, 1},
    {"logLineCap", 1000, 1000000, 1000},
};

QSpinBox *createSpinBox(const QString &key)
{
    auto *spin = new QSpinBox;
    for (const SpinRange &range : spinRanges) {
        if (key == QLatin1StringView(range.key)) {
            spin->setRange(range.minimum, range.maximum);
            spin->setSingleStep(range.step);
        }
    }
    spin->setGroupSeparatorShown(key == u"logLineCap");
    return spin;
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
    for (int group = 0; group < int(std::size(groupTitles)); ++group)
        layout->addWidget(addGroup(group));
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
    column->addWidget(editor);
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
    if (key == u"port" || key == u"workers" || key == u"logLineCap")
        return createSpinBox(key);
    auto *line = new QLineEdit;
    if (key == u"password")
        line->setEchoMode(QLineEdit::Password);
    return line;
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
    if (auto *combo = qobject_cast<const QComboBox *>(editor))
        return combo->currentData();
    return {};
}

bool SettingsDialog::checkAll()
{
    const Field *firstInvalid = nullptr;
    for (const Field &entry : std::as_const(m_fields)) {
        const QString reason = AppSettings::validationError(entry.key, editorValue(entry.editor));
        showError(entry.key, reason);
        if (!reason.isEmpty() && !firstInvalid)
            firstInvalid = &entry;
    }
    if (firstInvalid)
        firstInvalid->editor->setFocus();
    return !firstInvalid;
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
    const QHostAddress address(editorValue(editor(QStringLiteral("bindAddress"))).toString());
    m_bindWarning->setVisible(!address.isNull() && !address.isLoopback());
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
    for (int group = 0; group < m_groups.size(); ++group)
        m_groups[group]->setTitle(tr(groupTitles[group]));
    for (const Field &entry : std::as_const(m_fields))
        entry.label->setText(tr(entry.labelText));
    m_bindWarning->setText(tr("Other computers on your network will be able to connect to "
                              "this server."));
    retranslateEditors();
    // Reasons already on screen are re-asked, so they too switch language.
    for (const Field &entry : std::as_const(m_fields)) {
        if (!entry.error->isHidden())
            showError(entry.key,
                      AppSettings::validationError(entry.key, editorValue(entry.editor)));
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
    auto *workers = static_cast<QSpinBox *>(editor(QStringLiteral("workers")));
    workers->setSpecialValueText(tr("Automatic (one per core)"));
    workers->setToolTip(tr("Only the thread pool uses this; the other models decide for "
                           "themselves."));
    static_cast<QSpinBox *>(editor(QStringLiteral("logLineCap")))->setSuffix(tr(" lines"));
    editor(QStringLiteral("bindAddress"))
        ->setToolTip(tr("127.0.0.1 accepts connections from this computer only; 0.0.0.0 "
                        "from every network this computer is on."));
    editor(QStringLiteral("password"))
        ->setToolTip(tr("Clients must send this password to connect. Leave it empty for "
                        "an open server."));
}
