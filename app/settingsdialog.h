#pragma once

#include <QDialog>
#include <QList>
#include <QString>
#include <QVariant>

class QDialogButtonBox;
class QGroupBox;
class QLabel;

// Edits AppSettings::instance(). OK checks every field first and applies them only when all
// are valid; otherwise each rejected value's reason is shown under its field and the dialog
// stays open. Cancel discards the form.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    // For tests. Editors are named after the setting (AppSettings' property names: "port",
    // "nickname", ...), their error labels "<key>Error", the warning "bindAddressWarning".
    QWidget *editor(const QString &key) const;
    QLabel *errorLabel(const QString &key) const;
    QLabel *bindWarning() const { return m_bindWarning; }
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
        const char *labelText; // untranslated, for retranslateUi()
        QLabel *label;
        QWidget *editor;
        QLabel *error;
    };

    void buildUi();
    QGroupBox *addGroup(int group);
    void addField(QGroupBox *group, const QString &key, const char *labelText);
    QWidget *createEditor(const QString &key);
    void loadValues();
    void setEditorValue(QWidget *editor, const QVariant &value);
    QVariant editorValue(const QWidget *editor) const;
    bool checkAll();
    void showError(const QString &key, const QString &reason);
    const Field *field(const QString &key) const;
    void growToFit();
    void updateBindWarning();
    void updateWorkersEnabled();
    void retranslateUi();
    void retranslateEditors();

    QList<Field> m_fields;
    QList<QGroupBox *> m_groups;
    QLabel *m_bindWarning = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
