#include "message_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>

namespace strata::ui {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("messageBanner"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 4, 4, 4);
  m_label = new QLabel(this);
  m_label->setWordWrap(true);
  m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_action = new QPushButton(this);
  m_second = new QPushButton(this);
  auto* close = new QToolButton(this);
  close->setText(QStringLiteral("✕"));
  close->setAutoRaise(true);
  close->setToolTip(tr("Dismiss"));
  layout->addWidget(m_label, 1);
  layout->addWidget(m_action);
  layout->addWidget(m_second);
  layout->addWidget(close);
  m_fade = new QTimer(this);
  m_fade->setSingleShot(true);
  m_fade->setInterval(5000);
  connect(m_fade, &QTimer::timeout, this, &QWidget::hide);
  connect(close, &QToolButton::clicked, this, &QWidget::hide);
  connect(m_action, &QPushButton::clicked, this, [this] {
    hide();
    if (m_onAction) m_onAction();
  });
  connect(m_second, &QPushButton::clicked, this, [this] {
    hide();
    if (m_onSecond) m_onSecond();
  });
  hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text, const QString& actionText, std::function<void()> action,
                                const QString& secondText, std::function<void()> second) {
  m_kind = kind;
  m_topic = ErrorTopic::Other;
  m_label->setText(text);
  m_action->setText(actionText);
  m_action->setVisible(!actionText.isEmpty());
  m_second->setText(secondText);
  m_second->setVisible(!secondText.isEmpty());
  m_onAction = std::move(action);
  m_onSecond = std::move(second);
  const char* style = kind == Kind::Error ? "#messageBanner { background: #5c1f24; color: #ffe0e0; }"
                      : kind == Kind::Question ? "#messageBanner { background: #1f3d5c; color: #e0f0ff; }"
                                               : "#messageBanner { background: #2a4a2a; color: #e0ffe0; }";
  setStyleSheet(QString::fromLatin1(style));
  show();
  if (kind == Kind::Info) {
    m_fade->start();
  } else {
    m_fade->stop();
  }
}

void MessageBanner::showError(const QString& text, ErrorTopic topic) {
  showMessage(Kind::Error, text);
  m_topic = topic;
}

void MessageBanner::resolve(ErrorTopic topic) {
  if (!isHidden() && m_kind == Kind::Error && m_topic == topic && topic != ErrorTopic::Other) hide();
}

QString MessageBanner::text() const { return m_label->text(); }

}  // namespace strata::ui
