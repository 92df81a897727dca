//! Fault injection, for tests: a [`Faults`] plan handed to
//! [`SledStore::open_with_faults`](super::SledStore::open_with_faults) makes the n-th
//! write or flush of a change set fail with a chosen I/O error, as a failing or full
//! disk would. The plan is shared: the test keeps a clone and can see how many writes
//! and flushes happened.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Where in an apply a fault strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Writing the change set into the engine (nothing of it is written).
    Write,
    /// Flushing it to disk after it was written in memory: the engine holds the change
    /// set, but it was never made durable.
    Flush,
}

/// Which writes and flushes fail. Cloning shares the plan and its counters.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    writes: AtomicU64,
    flushes: AtomicU64,
    /// (point, 1-based occurrence, error kind) of each planned fault.
    planned: Mutex<Vec<(FaultPoint, u64, io::ErrorKind)>>,
}

impl Faults {
    /// A plan with no faults.
    pub fn new() -> Faults {
        Faults::default()
    }

    /// Makes the `nth` (from 1) occurrence of `point` fail with an error of `kind`
    /// (`io::ErrorKind::StorageFull` for a full disk).
    pub fn fail(&self, point: FaultPoint, nth: u64, kind: io::ErrorKind) -> &Faults {
        self.inner
            .planned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push((point, nth, kind));
        self
    }

    /// How many times `point` was reached so far.
    pub fn count(&self, point: FaultPoint) -> u64 {
        self.counter(point).load(Ordering::SeqCst)
    }

    fn counter(&self, point: FaultPoint) -> &AtomicU64 {
        match point {
            FaultPoint::Write => &self.inner.writes,
            FaultPoint::Flush => &self.inner.flushes,
        }
    }

    /// Counts one arrival at `point`; the planned error if this one fails.
    pub(crate) fn hit(&self, point: FaultPoint) -> io::Result<()> {
        let n = self.counter(point).fetch_add(1, Ordering::SeqCst) + 1;
        let planned = self
            .inner
            .planned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match planned.iter().find(|(p, at, _)| *p == point && *at == n) {
            Some(&(_, _, kind)) => Err(injected(kind)),
            None => Ok(()),
        }
    }
}

/// An injected error: for a full disk, the operating system's own (ENOSPC).
fn injected(kind: io::ErrorKind) -> io::Error {
    match kind {
        #[cfg(unix)]
        io::ErrorKind::StorageFull => io::Error::from_raw_os_error(28),
        other => io::Error::new(other, format!("{other} (injected)")),
    }
}
