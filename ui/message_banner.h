// message_banner.h — the non-modal message strip above the canvas (the UI's error channel made
// visible): errors stay until closed, replaced or resolved (an error carries its ErrorTopic and
// resolve(topic) hides it once that topic's cause is gone), information fades after a few seconds;
// an optional button offers an action ("Recall parameters", "Restore"). UI thread only.
#pragma once

#include <QFrame>
#include <functional>

#include "document_controller.h"

class QLabel;
class QPushButton;
class QTimer;

namespace strata::ui {

class MessageBanner : public QFrame {
  Q_OBJECT
 public:
  enum class Kind { Info, Error, Question };
  explicit MessageBanner(QWidget* parent = nullptr);

  // Replaces the current message. `actionText` empty = no action button.
  void showMessage(Kind kind, const QString& text, const QString& actionText = {},
                   std::function<void()> action = {}, const QString& secondText = {},
                   std::function<void()> second = {});
  // An error about `topic` (see ErrorTopic).
  void showError(const QString& text, ErrorTopic topic);
  // Hides the banner when it shows an error about `topic`.
  void resolve(ErrorTopic topic);
  QString text() const;
  Kind kind() const { return m_kind; }
  ErrorTopic topic() const { return m_topic; }
  QPushButton* actionButton() const { return m_action; }
  QPushButton* secondButton() const { return m_second; }

 private:
  QLabel* m_label;
  QPushButton* m_action;
  QPushButton* m_second;
  QTimer* m_fade;
  Kind m_kind = Kind::Info;
  ErrorTopic m_topic = ErrorTopic::Other;
  std::function<void()> m_onAction, m_onSecond;
};

}  // namespace strata::ui
