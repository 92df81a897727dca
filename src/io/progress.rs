//! Progress of a long import or export: a bar on the terminal (stderr) once the work has
//! taken more than a second, with records per second; nothing when stderr is not a
//! terminal, so scripts and pipes see only the summary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// How long work runs before the bar appears.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Progress over a known number of bytes (the input files' sizes) or of records.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
    enabled: bool,
    records: u64,
}

impl Progress {
    /// Progress over `total` bytes of input (0 when unknown), described by `what`.
    pub fn bytes(total: u64, what: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} · {prefix} · {eta} left",
        )
        .expect("the template is valid")
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
            enabled: std::io::stderr().is_terminal(),
            records: 0,
        }
    }

    /// Records that `n` more records are done and the input is at byte `position`.
    pub fn advance(&mut self, n: u64, position: u64) {
        self.records += n;
        if !self.enabled || !self.records.is_multiple_of(1024) {
            return;
        }
        let elapsed = self.started.elapsed();
        if !self.shown && elapsed >= QUIET_FOR {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        if self.shown {
            let rate = self.records as f64 / elapsed.as_secs_f64().max(1e-9);
            self.bar
                .set_prefix(format!("{} records/s", group(rate as u64)));
            self.bar.set_position(position);
        }
    }

    /// The work is done: the bar goes away.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// How long the work has taken.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// `n` things, grouped, with the noun in the singular for one: `1 node`, `12,000 nodes`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// A count written with thousands separators: 1,308,794.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_thousands() {
        assert_eq!(super::group(0), "0");
        assert_eq!(super::group(999), "999");
        assert_eq!(super::group(1000), "1,000");
        assert_eq!(super::group(1308794), "1,308,794");
    }
}
