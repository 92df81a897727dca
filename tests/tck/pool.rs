//! Running scenarios in parallel, each on its own thread, so that a panic or a hang in
//! the engine costs one scenario and not the run.

use crate::run::Outcome;
use crate::scenarios::Scenario;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SCENARIO_THREAD: &str = "tck-scenario";

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs a panic hook that keeps quiet on scenario threads (the message becomes the
/// scenario's failure reason) and reports panics elsewhere as usual.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(SCENARIO_THREAD) {
            default(info);
            return;
        }
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-string payload)".to_string());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
    }));
}

/// Runs one scenario: the scenario, the TCK's graphs/ folder, the cancel flag.
pub type Runner = fn(&Scenario, &std::path::Path, &AtomicBool) -> Outcome;

/// Settings for a run.
pub struct Pool {
    /// What runs a scenario ([`crate::run::run_scenario`] outside the runner's own tests).
    pub runner: Runner,
    /// Scenarios running at once.
    pub threads: usize,
    /// After this long a scenario is cancelled.
    pub timeout: Duration,
    /// After cancelling, how long to wait before abandoning the scenario's thread.
    pub grace: Duration,
    /// The TCK's graphs/ folder.
    pub graphs: PathBuf,
}

impl Pool {
    /// Runs every scenario; the outcomes come back in the scenarios' order.
    pub fn run(&self, scenarios: Arc<Vec<Scenario>>) -> Vec<Outcome> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; scenarios.len()]);
        std::thread::scope(|scope| {
            for _ in 0..self.threads.max(1) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= scenarios.len() {
                            break;
                        }
                        let outcome = self.run_one(&scenarios, i);
                        results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(outcome);
                    }
                });
            }
        });
        let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
        results
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Outcome::fail("not run")))
            .collect()
    }

    fn run_one(&self, scenarios: &Arc<Vec<Scenario>>, i: usize) -> Outcome {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let spawned = {
            let (scenarios, cancel, graphs, runner) = (
                Arc::clone(scenarios),
                Arc::clone(&cancel),
                self.graphs.clone(),
                self.runner,
            );
            std::thread::Builder::new()
                .name(SCENARIO_THREAD.into())
                .stack_size(64 << 20)
                .spawn(move || {
                    let result =
                        catch_unwind(AssertUnwindSafe(|| runner(&scenarios[i], &graphs, &cancel)));
                    let outcome = result.unwrap_or_else(|_| {
                        let msg = LAST_PANIC
                            .with(|p| p.borrow_mut().take())
                            .unwrap_or_default();
                        Outcome::fail(format!("panic: {msg}"))
                    });
                    // The receiver is gone when the scenario was abandoned; nothing to report then.
                    let _ = tx.send(outcome);
                })
        };
        if let Err(e) = spawned {
            return Outcome::fail(format!("cannot start a thread: {e}"));
        }
        match rx.recv_timeout(self.timeout) {
            Ok(outcome) => outcome,
            Err(RecvTimeoutError::Disconnected) => {
                Outcome::fail("scenario thread died without a result")
            }
            Err(RecvTimeoutError::Timeout) => {
                cancel.store(true, Ordering::SeqCst);
                let secs = self.timeout.as_secs_f64();
                match rx.recv_timeout(self.grace) {
                    Ok(_) => Outcome::fail(format!("timeout: cancelled after {secs}s")),
                    Err(_) => Outcome::fail(format!(
                        "timeout: cancelled after {secs}s, did not stop; thread abandoned"
                    )),
                }
            }
        }
    }
}
