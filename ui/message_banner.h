// message_banner.h — the non-modal message strip above the canvas (the UI's error channel made
// visible): errors stay until closed or replaced, information fades after a few seconds; an
// optional button offers an action ("Recall parameters", "Restore"). UI thread only.
#pragma once

#include <QFrame>
#include <functional>

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
  QString text() const;
  Kind kind() const { return m_kind; }
  QPushButton* actionButton() const { return m_action; }
  QPushButton* secondButton() const { return m_second; }

 private:
  QLabel* m_label;
  QPushButton* m_action;
  QPushButton* m_second;
  QTimer* m_fade;
  Kind m_kind = Kind::Info;
  std::function<void()> m_onAction, m_onSecond;
};

}  // namespace strata::ui
