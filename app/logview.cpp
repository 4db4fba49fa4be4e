#include "app/logview.h"

#include <QAction>
#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QToolButton>

#include <algorithm>

namespace App {

// Level and text filter in one pass over the LogModel's entries, without QVariant round trips.
class LogFilterModel : public QSortFilterProxyModel
{
public:
    LogFilterModel(LogModel *source, QObject *parent) : QSortFilterProxyModel(parent), m_log(source)
    {
        setSourceModel(source);
    }

    LogLevel minimumLevel() const { return m_minimum; }
    void setMinimumLevel(LogLevel level)
    {
        if (level == m_minimum)
            return;
        m_minimum = level;
        invalidateFilter();
    }
    QString text() const { return m_text; }
    void setText(const QString &text)
    {
        if (text == m_text)
            return;
        m_text = text;
        invalidateFilter();
    }
    bool isFiltering() const { return m_minimum != LogLevel::Debug || !m_text.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &) const override
    {
        const LogEntry &entry = m_log->entry(sourceRow);
        if (entry.level < m_minimum)
            return false;
        return m_text.isEmpty() || entry.text.contains(m_text, Qt::CaseInsensitive)
            || entry.thread.contains(m_text, Qt::CaseInsensitive);
    }

private:
    LogModel *m_log;
    LogLevel m_minimum = LogLevel::Debug;
    QString m_text;
};

// Hands the style only as much of a line as its row can show: shaping the whole (up to
// MaxDisplayChars) text of every painted row made a screen of long lines cost tens of ms.
class LogLineDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        // Generous: even characters half the average width cannot run out before the edge.
        const int charWidth = std::max(1, option->fontMetrics.averageCharWidth());
        qsizetype fits = 2 * qsizetype(std::max(option->rect.width(), 0)) / charWidth + 16;
        if (option->text.size() <= fits)
            return;
        if (option->text.at(fits - 1).isHighSurrogate())
            --fits;
        option->text.truncate(fits);
        option->text += u'…';
    }
};

LogView::LogView(QWidget *parent)
    : QWidget(parent),
      m_model(new LogModel(this)),
      m_filter(new LogFilterModel(m_model, this)),
      m_list(new QListView(this))
{
    setUpList();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(createToolBar());
    layout->addWidget(m_list);

    connect(m_model, &LogModel::aboutToFlush, this, &LogView::rememberScrollPosition);
    connect(m_model, &LogModel::flushed, this, &LogView::restoreScrollPosition);
    connect(m_model, &LogModel::modelReset, this, &LogView::updateCountLabel);
    retranslateUi();
}

void LogView::setUpList()
{
    m_list->setObjectName(QStringLiteral("logList"));
    m_list->setModel(m_filter);
    // One measured row stands for all: layout stays linear and cheap at 100k rows.
    m_list->setUniformItemSizes(true);
    m_list->setWordWrap(false);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setItemDelegate(new LogLineDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_copyAction = new QAction(this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, &LogView::copySelection);
    m_list->addAction(m_copyAction);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
}

QLayout *LogView::createToolBar()
{
    m_levelLabel = new QLabel(this);
    m_levelBox = new QComboBox(this);
    m_levelBox->setObjectName(QStringLiteral("levelFilter"));
    for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error})
        m_levelBox->addItem(QString(), int(level));
    m_levelLabel->setBuddy(m_levelBox);
    connect(m_levelBox, &QComboBox::currentIndexChanged, this,
            [this] { setMinimumLevel(LogLevel(m_levelBox->currentData().toInt())); });

    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("textFilter"));
    m_filterEdit->setClearButtonEnabled(true);
    connect(m_filterEdit, &QLineEdit::textChanged, this, &LogView::setFilterText);

    m_pauseButton = new QToolButton(this);
    m_pauseButton->setObjectName(QStringLiteral("pauseAutoscroll"));
    m_pauseButton->setCheckable(true);
    connect(m_pauseButton, &QToolButton::toggled, this, &LogView::setAutoscrollPaused);

    m_clearButton = new QPushButton(this);
    m_clearButton->setObjectName(QStringLiteral("clearLog"));
    connect(m_clearButton, &QPushButton::clicked, this, &LogView::clear);
    m_saveButton = new QPushButton(this);
    m_saveButton->setObjectName(QStringLiteral("saveLog"));
    connect(m_saveButton, &QPushButton::clicked, this, &LogView::saveInteractively);
    m_countLabel = new QLabel(this);
    // A fixed minimum: a count that changes width 12 times a second must not relayout the window.
    m_countLabel->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("888,888 of 888,888 lines")));
    m_countLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    // Two rows: in one, the dock would be too wide for a small (or scaled-up) screen next to
    // the server panel.
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_levelLabel);
    filters->addWidget(m_levelBox);
    filters->addWidget(m_filterEdit, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_pauseButton);
    actions->addWidget(m_clearButton);
    actions->addWidget(m_saveButton);
    actions->addStretch(1);
    actions->addWidget(m_countLabel);
    auto *bar = new QVBoxLayout;
    bar->addLayout(filters);
    bar->addLayout(actions);
    return bar;
}

void LogView::retranslateUi()
{
    m_levelLabel->setText(tr("&Level:"));
    m_levelBox->setItemText(0, tr("All"));
    m_levelBox->setItemText(1, tr("Info and above"));
    m_levelBox->setItemText(2, tr("Warnings and above"));
    m_levelBox->setItemText(3, tr("Errors only"));
    m_filterEdit->setPlaceholderText(tr("Filter (thread or text)"));
    m_pauseButton->setText(tr("Pause autoscroll"));
    m_pauseButton->setToolTip(tr("Keep the view where it is while new lines arrive"));
    m_clearButton->setText(tr("Clear"));
    m_saveButton->setText(tr("Save…"));
    m_copyAction->setText(tr("&Copy"));
    updateCountLabel();
    // Level names are translated when a row is painted.
    m_list->viewport()->update();
}

void LogView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void LogView::append(LogLevel level, const QString &thread, const QString &text)
{
    m_model->append(level, thread, text);
}

void LogView::setLineCap(int cap)
{
    m_model->setLineCap(cap);
    updateCountLabel();
}

void LogView::setMinimumLevel(LogLevel level)
{
    m_levelBox->setCurrentIndex(m_levelBox->findData(int(level)));
    m_filter->setMinimumLevel(level);
    scrollToBottomIfFollowing();
    updateCountLabel();
}

LogLevel LogView::minimumLevel() const
{
    return m_filter->minimumLevel();
}

void LogView::setFilterText(const QString &text)
{
    if (m_filterEdit->text() != text)
        m_filterEdit->setText(text);
    m_filter->setText(text);
    scrollToBottomIfFollowing();
    updateCountLabel();
}

QString LogView::filterText() const
{
    return m_filter->text();
}

void LogView::setAutoscrollPaused(bool paused)
{
    m_pauseButton->setChecked(paused);
    m_followTail = !paused;
    scrollToBottomIfFollowing();
}

bool LogView::isAutoscrollPaused() const
{
    return m_pauseButton->isChecked();
}

void LogView::clear()
{
    m_model->clear();
    m_anchorSerial.reset();
    m_followTail = !isAutoscrollPaused();
}

bool LogView::saveTo(const QString &path, QString *error) const
{
    m_model->flush(); // queued lines are retained lines too
    QSaveFile file(path);
    bool ok = file.open(QIODevice::WriteOnly);
    QByteArray chunk;
    for (int row = 0; ok && row < m_model->rowCount(); ++row) {
        chunk += m_model->formatted(row).toUtf8();
        chunk += '\n';
        if (chunk.size() >= 64 * 1024 || row + 1 == m_model->rowCount()) {
            ok = file.write(chunk) == chunk.size();
            chunk.clear();
        }
    }
    ok = ok && file.commit();
    if (!ok && error)
        *error = file.errorString();
    return ok;
}

void LogView::saveInteractively()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Log"), QDir::home().filePath(QStringLiteral("qtchat.log")),
        tr("Log files (*.log);;Text files (*.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveTo(path, &error))
        return;
    QMessageBox box(
        QMessageBox::Warning, tr("Save Log"),
        tr("Could not save the log to %1:\n%2").arg(QDir::toNativeSeparators(path), error),
        QMessageBox::Ok, this);
    box.setTextFormat(Qt::PlainText); // a file name is not markup
    box.exec();
}

QStringList LogView::visibleLines() const
{
    QStringList lines;
    lines.reserve(m_filter->rowCount());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        lines.append(m_filter->index(row, 0).data().toString());
    return lines;
}

void LogView::copySelection() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_list->selectionModel()->selectedIndexes())
        rows.append(m_filter->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (int row : std::as_const(rows))
        lines.append(m_model->formatted(row));
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(u'\n'));
}

void LogView::rememberScrollPosition()
{
    const QScrollBar *bar = m_list->verticalScrollBar();
    m_followTail = !isAutoscrollPaused() && bar->value() >= bar->maximum();
    m_anchorSerial.reset();
    if (m_followTail)
        return;
    const QModelIndex top = m_list->indexAt(QPoint(0, 0));
    if (top.isValid())
        m_anchorSerial = m_model->serialAt(m_filter->mapToSource(top).row());
}

void LogView::restoreScrollPosition()
{
    updateCountLabel();
    if (m_followTail) {
        m_list->scrollToBottom();
        return;
    }
    // Dropping the oldest rows would otherwise slide the text the user reads upwards.
    const int row = m_anchorSerial ? m_model->rowForSerial(*m_anchorSerial) : -1;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(row));
    if (index.isValid())
        m_list->scrollTo(index, QAbstractItemView::PositionAtTop);
}

void LogView::scrollToBottomIfFollowing()
{
    if (m_followTail)
        m_list->scrollToBottom();
}

void LogView::updateCountLabel()
{
    if (!m_countLabel)
        return;
    const int total = m_model->rowCount();
    m_countLabel->setText(m_filter->isFiltering()
                              ? tr("%L1 of %Ln line(s)", nullptr, total).arg(m_filter->rowCount())
                              : tr("%Ln line(s)", nullptr, total));
}

} // namespace App
