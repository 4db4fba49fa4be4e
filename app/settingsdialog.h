#pragma once

#include "app/settingsschema.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QString>
#include <QVariant>

class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QTabWidget;

namespace App {

// Edits AppSettings::instance(), a field for each setting of SettingsSchema that has a label,
// built from its entry (editor, range, texts). OK checks every field first (each alone, then the
// pairs that must fit together) and applies them only when all are valid; otherwise each rejected
// value's reason is shown under its field, its tab is brought forward and the dialog stays open.
// Cancel discards the form.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    // For tests. Editors are named after the setting (AppSettings' property names: "port",
    // "nickname", ...), their error labels "<key>Error", the file pickers' buttons
    // "<key>Browse", the warning "bindAddressWarning".
    QWidget *editor(const QString &key) const;
    QLabel *errorLabel(const QString &key) const;
    // What a field holds, as OK would apply it; and filling it in, as typing would.
    QVariant fieldValue(const QString &key) const;
    void setFieldValue(const QString &key, const QVariant &value);
    QLabel *bindWarning() const { return m_bindWarning; }
    QTabWidget *tabs() const { return m_tabs; }
    // What OK does, without closing: true when every value was valid and is now applied.
    bool apply();

public Q_SLOTS:
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Field
    {
        QString key;
        const SettingSpec *spec;
        QLabel *label;
        QWidget *editor;
        QLabel *error;
    };
    struct Group
    {
        SettingSection section;
        QGroupBox *box;
    };

    void buildUi();
    QWidget *addPage(int page);
    QGroupBox *addGroup(SettingSection section);
    void addField(QGroupBox *group, const SettingSpec &spec);
    QWidget *createEditor(const SettingSpec &spec);
    QWidget *withBrowseButton(QWidget *editor, const QString &key);
    void browse(const QString &key);
    void loadValues();
    void setEditorValue(QWidget *editor, const QVariant &value);
    QVariant editorValue(const QWidget *editor) const;
    QVariantMap formValues() const;
    // Why each field's value cannot be applied, by key; empty when the form can be applied.
    QHash<QString, QString> problems() const;
    bool checkAll();
    void showError(const QString &key, const QString &reason);
    void reveal(QWidget *editor);
    const Field *field(const QString &key) const;
    void growToFit();
    void updateBindWarning();
    void updateWorkersEnabled();
    void retranslateUi();
    void retranslateEditors();

    QList<Field> m_fields;
    QList<QWidget *> m_pages;
    QList<Group> m_groups;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_bindWarning = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace App
