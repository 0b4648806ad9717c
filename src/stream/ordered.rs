//! A small ordered worker pool: the calling thread produces jobs, worker
//! threads map them, and one consumer thread receives the results in the
//! order the jobs were produced. Channels are bounded, so at most a few jobs
//! per worker are in flight and memory does not grow with the input.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;

/// Jobs in flight per worker, on each side of the workers.
const QUEUE_PER_WORKER: usize = 2;

/// Runs `produce` on the calling thread, `work` on `workers` threads (each
/// with its own state from `init`) and `consume` on one more thread, which
/// sees the results in production order.
///
/// `produce` gets a `send` function that returns `false` once the consumer
/// has stopped (e.g. on a write error), after which it should stop too.
pub fn run<J, O, S, P, E, C, T>(
    workers: usize,
    produce: P,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, J) -> O + Sync,
    consume: C,
) -> (Result<(), E>, T)
where
    J: Send,
    O: Send,
    P: FnOnce(&mut dyn FnMut(J) -> bool) -> Result<(), E>,
    C: FnOnce(&mut dyn Iterator<Item = O>) -> T + Send,
    T: Send,
{
    let workers = workers.max(1);
    let (job_tx, job_rx) = sync_channel::<(u64, J)>(workers * QUEUE_PER_WORKER);
    let (out_tx, out_rx) = sync_channel::<(u64, O)>(workers * QUEUE_PER_WORKER);
    // Shared by the workers only: when the last one stops, the receiver
    // goes, and a producer blocked on a full queue is released.
    let job_rx = Arc::new(Mutex::new(job_rx));
    thread::scope(|scope| {
        let consumer = scope.spawn(move || consume(&mut InOrder::new(out_rx)));
        for _ in 0..workers {
            let out_tx = out_tx.clone();
            let (job_rx, init, work) = (Arc::clone(&job_rx), &init, &work);
            scope.spawn(move || {
                let mut state = init();
                // A poisoned lock means another worker panicked: stop taking jobs.
                while let Some(Ok((seq, job))) = job_rx.lock().ok().map(|rx| rx.recv()) {
                    if out_tx.send((seq, work(&mut state, job))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(out_tx);
        drop(job_rx);
        let mut seq = 0u64;
        let produced = produce(&mut |job| {
            seq += 1;
            job_tx.send((seq, job)).is_ok()
        });
        drop(job_tx);
        // The consumer panics only on a bug; re-raise it here rather than hide it.
        let consumed = match consumer.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (produced, consumed)
    })
}

/// Results in production order, from a channel that delivers them in any order.
struct InOrder<O> {
    rx: Receiver<(u64, O)>,
    waiting: BTreeMap<u64, O>,
    next: u64,
}

impl<O> InOrder<O> {
    fn new(rx: Receiver<(u64, O)>) -> Self {
        InOrder {
            rx,
            waiting: BTreeMap::new(),
            next: 1,
        }
    }
}

impl<O> Iterator for InOrder<O> {
    type Item = O;

    fn next(&mut self) -> Option<O> {
        loop {
            if let Some(out) = self.waiting.remove(&self.next) {
                self.next += 1;
                return Some(out);
            }
            let (seq, out) = self.rx.recv().ok()?;
            self.waiting.insert(seq, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_production_order() {
        // Later jobs finish first (they sleep less), yet come out in order.
        let (produced, out) = run(
            3,
            |send| {
                for i in 0..20u64 {
                    if !send(i) {
                        break;
                    }
                }
                Ok::<(), ()>(())
            },
            || 0u32,
            |calls, i| {
                *calls += 1;
                std::thread::sleep(std::time::Duration::from_micros(200 * (20 - i)));
                i * 10
            },
            |results| results.collect::<Vec<_>>(),
        );
        assert_eq!(produced, Ok(()));
        assert_eq!(out, (0..20).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_consumer_that_stops_stops_the_producer() {
        // The consumer takes 3 results and returns; sends then fail, so the
        // producer sees `false` long before its million jobs.
        let mut sent = 0u64;
        let (_, taken) = run(
            2,
            |send| {
                while sent < 1_000_000 && send(sent) {
                    sent += 1;
                }
                Ok::<(), ()>(())
            },
            || (),
            |_, i| i,
            |results| results.take(3).count(),
        );
        assert_eq!(taken, 3);
        assert!(sent < 1_000, "sent {sent}");
    }
}
