//! A bound on the passages handed to the index writer and not yet indexed.
//!
//! tantivy's writer queues up to 10,000 documents before `add_document`
//! blocks. A passage arrives with its terms already analysed (four token
//! lists, ~40 KB for a passage of 1,000 characters), so a full queue holds
//! ~400 MB, and more for long passages. Each passage handed over carries a
//! [`Ticket`] for its estimated bytes, given back when the writer drops the
//! passage after indexing it; [`InFlight::admit`] waits while the passages
//! in flight hold more than the budget. Memory then stays bounded whatever
//! the number of passages analysed ahead of the writer.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Bytes of analysed passages in flight to the writer, at most (one
/// passage is always let through, whatever its size).
pub(crate) const IN_FLIGHT_BYTES: usize = 64 << 20;

/// Longest wait for the writer to take passages: should it stall (a worker
/// thread that died holds no passage back, but a bug might), passages go
/// through after this instead of waiting for ever.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// The bytes of passages in flight, shared by the analysing threads.
#[derive(Debug)]
pub(crate) struct InFlight {
    bytes: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl InFlight {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Arc<InFlight> {
        Arc::new(InFlight {
            bytes: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        })
    }

    /// Waits until `bytes` more fit in the budget (or nothing is in
    /// flight), and takes them.
    pub(crate) fn admit(self: &Arc<Self>, bytes: usize) -> Ticket {
        let started = Instant::now();
        let mut held = self.bytes.lock().unwrap_or_else(|p| p.into_inner());
        while *held > 0 && held.saturating_add(bytes) > self.limit {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            held = self
                .freed
                .wait_timeout(held, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *held += bytes;
        Ticket {
            owner: self.clone(),
            bytes,
        }
    }

    /// Bytes in flight now.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        *self.bytes.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Bytes taken from an [`InFlight`] budget, given back when dropped.
#[derive(Debug)]
pub(crate) struct Ticket {
    owner: Arc<InFlight>,
    bytes: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut held = self.owner.bytes.lock().unwrap_or_else(|p| p.into_inner());
        *held = held.saturating_sub(self.bytes);
        drop(held);
        self.owner.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admit_waits_for_room_and_tickets_give_it_back() {
        let budget = InFlight::new(100);
        let a = budget.admit(60);
        // more than the budget, but nothing else in flight: let through
        let big = InFlight::new(10).admit(50);
        assert_eq!(big.bytes, 50);
        let waiter = {
            let budget = budget.clone();
            std::thread::spawn(move || budget.admit(60))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(budget.held(), 60, "the second passage waits");
        drop(a);
        let b = waiter.join().unwrap();
        assert_eq!(budget.held(), 60);
        drop(b);
        assert_eq!(budget.held(), 0);
    }
}
