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
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace App {

namespace {

using Context = SettingsSchema::Context;

const char *const pageTitles[] = {
    QT_TRANSLATE_NOOP("App::SettingsDialog", "General"),
    QT_TRANSLATE_NOOP("App::SettingsDialog", "Limits and TLS"),
};

// The tab a section of the schema is shown on.
int pageOf(SettingSection section)
{
    return section == SettingSection::Limits || section == SettingSection::Tls ? 1 : 0;
}

// A list setting is typed as words; commas are forgiven.
const QRegularExpression &listSeparators()
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return separators;
}

// Whether an editor edits a list setting (it is named after its setting).
bool isList(const QWidget *editor)
{
    const SettingSpec *spec = SettingsSchema::find(editor->objectName());
    return spec
        && SettingsSchema::type(SettingsSchema::keyOf(*spec)).id() == QMetaType::QStringList;
}

// Large numbers are easier to read in groups of three digits.
constexpr qint64 GroupDigitsFrom = 100'000;

// The spin box keeps the user inside the setting's range; the few values inside it that are
// still invalid (a send queue of 100 bytes) get an error under the field.
QAbstractSpinBox *createSpinBox(const SettingSpec &spec)
{
    const Server::Range range = SettingsSchema::range(spec, Context::Settings);
    const QMetaType type = SettingsSchema::type(SettingsSchema::keyOf(spec));
    if (type.id() == QMetaType::Double) {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(2); // 0.25 lines/s from a hand-edited file survives a round trip
        spin->setRange(double(range.minimum), double(range.maximum));
        spin->setSingleStep(spec.step);
        return spin;
    }
    auto *spin = new QSpinBox;
    spin->setRange(int(range.minimum), int(range.maximum));
    spin->setSingleStep(spec.step);
    spin->setGroupSeparatorShown(range.maximum >= GroupDigitsFrom);
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

QComboBox *createComboBox(const SettingSpec &spec)
{
    auto *combo = new QComboBox;
    for (const SettingChoice &choice : spec.choices)
        combo->addItem(QString(), QString::fromLatin1(choice.code));
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

QVariant SettingsDialog::fieldValue(const QString &key) const
{
    return editorValue(editor(key));
}

void SettingsDialog::setFieldValue(const QString &key, const QVariant &value)
{
    setEditorValue(editor(key), value);
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
    for (int section = 0; section < SettingSectionCount; ++section) {
        if (pageOf(SettingSection(section)) != page)
            continue;
        QGroupBox *group = nullptr;
        for (const SettingSpec &spec : SettingsSchema::all()) {
            if (!spec.inDialog() || spec.section != SettingSection(section))
                continue;
            if (!group) {
                group = addGroup(SettingSection(section));
                column->addWidget(group);
            }
            addField(group, spec);
        }
    }
    column->addStretch();
    m_pages.append(widget);
    return widget;
}

QGroupBox *SettingsDialog::addGroup(SettingSection section)
{
    auto *box = new QGroupBox(this);
    new QFormLayout(box);
    m_groups.append({section, box});
    return box;
}

void SettingsDialog::addField(QGroupBox *group, const SettingSpec &spec)
{
    // Editor, error and (for the address) warning stacked in the field column, so that a
    // message appears right under the value it is about.
    const QString key = QString::fromLatin1(spec.name);
    auto *cell = new QWidget(group);
    auto *column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    QWidget *editor = createEditor(spec);
    editor->setObjectName(key);
    const bool pickFile = spec.input == SettingInput::PemFile;
    column->addWidget(pickFile ? withBrowseButton(editor, key) : editor);
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
    m_fields.append({key, &spec, label, editor, error});
}

QWidget *SettingsDialog::createEditor(const SettingSpec &spec)
{
    const int type = SettingsSchema::type(SettingsSchema::keyOf(spec)).id();
    if (!spec.choices.empty())
        return createComboBox(spec);
    if (type == QMetaType::Bool)
        return new QCheckBox;
    if (type == QMetaType::QString || type == QMetaType::QStringList) {
        auto *line = new QLineEdit;
        if (spec.input == SettingInput::Secret)
            line->setEchoMode(QLineEdit::Password);
        return line;
    }
    return createSpinBox(spec);
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
    const QString current = line->text().trimmed();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a PEM file"), current.isEmpty() ? QString() : QFileInfo(current).path(),
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
        line->setText(isList(editor) ? value.toStringList().join(u' ') : value.toString());
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
        if (isList(editor))
            return line->text().split(listSeparators(), Qt::SkipEmptyParts);
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
    for (const Group &group : std::as_const(m_groups))
        group.box->setTitle(SettingsSchema::sectionTitle(group.section));
    for (const Field &entry : std::as_const(m_fields))
        entry.label->setText(SettingsSchema::label(*entry.spec));
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
    for (const Field &entry : std::as_const(m_fields)) {
        const SettingSpec &spec = *entry.spec;
        entry.editor->setToolTip(SettingsSchema::help(spec));
        if (auto *combo = qobject_cast<QComboBox *>(entry.editor)) {
            for (int i = 0; i < combo->count(); ++i) {
                const SettingChoice &choice = spec.choices[i];
                combo->setItemText(
                    i,
                    choice.label ? SettingsSchema::choiceLabel(choice)
                                 : LanguageManager::displayName(QString::fromLatin1(choice.code)));
            }
        } else if (auto *check = qobject_cast<QCheckBox *>(entry.editor)) {
            check->setText(SettingsSchema::valueText(spec));
        } else if (qobject_cast<QAbstractSpinBox *>(entry.editor)) {
            setSpinTexts(entry.editor, SettingsSchema::unit(spec), SettingsSchema::valueText(spec));
        }
        if (auto *browse = findChild<QPushButton *>(entry.key + QStringLiteral("Browse")))
            browse->setText(tr("Browse..."));
    }
}

} // namespace App
