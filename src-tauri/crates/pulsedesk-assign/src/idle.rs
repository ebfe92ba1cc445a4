//! Where the desktop's idle time and lock state come from.
//!
//! On Linux with X11 the XScreenSaver extension reports the time since the last keyboard
//! or pointer input anywhere on the display, and whether the screen saver (which screen
//! lockers drive) is on. Elsewhere no reading is available yet and presence changes only
//! by hand, at sign-in and at sign-out.

use chrono::Duration;
use pulsedesk_core::assign::presence::Activity;

/// A source of activity readings.
pub trait IdleSource: Send + Sync {
    /// The current reading, or `None` when the platform cannot tell.
    fn read(&self) -> Option<Activity>;
}

/// No reading: presence is set by hand only.
pub struct Unavailable;

impl IdleSource for Unavailable {
    fn read(&self) -> Option<Activity> {
        None
    }
}

/// The platform's source, or [`Unavailable`].
pub fn system() -> Box<dyn IdleSource> {
    #[cfg(target_os = "linux")]
    if let Some(x) = x11::X11Idle::connect() {
        return Box::new(x);
    }
    Box::new(Unavailable)
}

#[cfg(target_os = "linux")]
pub mod x11 {
    //! XScreenSaver idle time and state.

    use super::{Activity, Duration, IdleSource};
    use std::sync::Mutex;
    use x11rb::connection::Connection;
    use x11rb::protocol::screensaver::{ConnectionExt as _, State};
    use x11rb::rust_connection::RustConnection;

    /// A connection to the X display named by `DISPLAY`.
    pub struct X11Idle {
        conn: Mutex<RustConnection>,
        root: u32,
    }

    impl X11Idle {
        /// Connects to `DISPLAY`; `None` without an X display or without the extension.
        pub fn connect() -> Option<Self> {
            Self::connect_to(None)
        }

        /// Connects to the named display (e.g. `":7"`).
        pub fn connect_to(display: Option<&str>) -> Option<Self> {
            let (conn, screen) = x11rb::connect(display).ok()?;
            let root = conn.setup().roots.get(screen)?.root;
            conn.screensaver_query_version(1, 1).ok()?.reply().ok()?;
            Some(X11Idle {
                conn: Mutex::new(conn),
                root,
            })
        }

        /// The underlying connection (tests use it to send synthetic input).
        pub fn with_connection<T>(&self, f: impl FnOnce(&RustConnection, u32) -> T) -> Option<T> {
            let conn = self.conn.lock().ok()?;
            Some(f(&conn, self.root))
        }
    }

    impl IdleSource for X11Idle {
        fn read(&self) -> Option<Activity> {
            let conn = self.conn.lock().ok()?;
            let info = conn.screensaver_query_info(self.root).ok()?.reply().ok()?;
            Some(Activity {
                idle: Duration::milliseconds(i64::from(info.ms_since_user_input)),
                locked: info.state == u8::from(State::ON),
            })
        }
    }
}
