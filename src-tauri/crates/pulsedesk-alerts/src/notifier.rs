//! Native pop-ups through notify-rust (the desktop notification service on Linux, toasts on
//! Windows, Notification Center on macOS).

use pulsedesk_core::ids::TicketId;
use std::sync::Arc;

/// One pop-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub summary: String,
    pub body: String,
    /// The ticket a click opens (`None` for a burst summary, which opens the app).
    pub ticket: Option<TicketId>,
    /// A breach (shown as critical).
    pub urgent: bool,
}

/// Shows pop-ups.
pub trait Notifier: Send + Sync {
    fn show(&self, popup: Popup);
}

/// Called with the ticket (if any) when the member clicks a pop-up.
pub type OnOpen = Arc<dyn Fn(Option<TicketId>) + Send + Sync>;

/// The desktop's notification service.
pub struct DesktopNotifier {
    app_name: String,
    on_open: OnOpen,
}

impl DesktopNotifier {
    pub fn new(app_name: impl Into<String>, on_open: OnOpen) -> Self {
        DesktopNotifier {
            app_name: app_name.into(),
            on_open,
        }
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, popup: Popup) {
        let app_name = self.app_name.clone();
        let on_open = self.on_open.clone();
        // Showing talks to the notification service, and on Linux waiting for the click
        // blocks until the pop-up closes: keep both off the async runtime.
        let spawned = std::thread::Builder::new()
            .name("pulsedesk-popup".into())
            .spawn(move || {
                let mut n = notify_rust::Notification::new();
                n.appname(&app_name)
                    .summary(&popup.summary)
                    .body(&popup.body)
                    .action("default", "Open");
                #[cfg(all(unix, not(target_os = "macos")))]
                {
                    n.urgency(if popup.urgent {
                        notify_rust::Urgency::Critical
                    } else {
                        notify_rust::Urgency::Normal
                    });
                }
                match n.show() {
                    #[cfg(all(unix, not(target_os = "macos")))]
                    Ok(handle) => handle.wait_for_action(|action| {
                        if action == "default" {
                            on_open(popup.ticket);
                        }
                    }),
                    #[cfg(not(all(unix, not(target_os = "macos"))))]
                    Ok(_) => {
                        let _ = &on_open;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, summary = %popup.summary, "pop-up could not be shown");
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "no thread for a pop-up");
        }
    }
}
