#pragma once

#include "app/logmodel.h"

#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QToolButton;

namespace App {

class LogFilterModel;

// The live server log: a filterable list of plain-text lines over a LogModel. Only the rows
// on screen are ever formatted, and the list re-lays out once per batch, not once per line.
class LogView : public QWidget
{
    Q_OBJECT

public:
    explicit LogView(QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    QListView *listView() const { return m_list; }

    void append(LogLevel level, const QString &thread, const QString &text);
    void setLineCap(int cap);
    // Every retained line (including queued ones), unfiltered, escaped, UTF-8, one per line.
    bool saveTo(const QString &path, QString *error = nullptr) const;
    // The lines the filters let through, as displayed.
    QStringList visibleLines() const;

    void setMinimumLevel(LogLevel level);
    LogLevel minimumLevel() const;
    // Case-insensitive fixed string, matched against the thread name and the text.
    void setFilterText(const QString &text);
    QString filterText() const;
    void setAutoscrollPaused(bool paused);
    bool isAutoscrollPaused() const;

public Q_SLOTS:
    void clear();
    void saveInteractively();
    void copySelection() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void setUpList();
    QLayout *createToolBar();
    void retranslateUi();
    void rememberScrollPosition();
    void restoreScrollPosition();
    void scrollToBottomIfFollowing();
    void updateCountLabel();

    LogModel *m_model;
    LogFilterModel *m_filter;
    QListView *m_list;
    QLabel *m_levelLabel = nullptr;
    QComboBox *m_levelBox = nullptr;
    QLineEdit *m_filterEdit = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QPushButton *m_clearButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QLabel *m_countLabel = nullptr;
    QAction *m_copyAction = nullptr;
    bool m_followTail = true;
    std::optional<quint64> m_anchorSerial; // the line at the top while the user reads
};

} // namespace App
