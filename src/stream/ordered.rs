//! A small ordered worker pool: worker threads take jobs in turn from one
//! source, map them, and one consumer thread receives the results in the
//! order the jobs were taken. The result channel is bounded, so at most a
//! few jobs per worker are in flight and memory does not grow with the input.
//!
//! Each worker fills its own job buffer from the source (under a lock) and
//! then works on it: the bytes it has just read are still in its core's
//! cache, no thread only reads while the others wait for it, and the job
//! buffers are reused from job to job without being handed around.

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;
use std::thread;

/// Results in flight per worker, between the workers and the consumer.
const QUEUE_PER_WORKER: usize = 2;

/// The source and the state of taking from it, shared by the workers.
struct Source<N, E> {
    next: N,
    /// Jobs taken so far: the number of the last one.
    taken: u64,
    /// Why the workers stopped taking: the source's end, an error, or the consumer gone.
    stopped: Option<Result<(), E>>,
}

/// Runs `workers` threads, each with its own state from `init`. In turn, one
/// at a time, each calls `next` to fill its state with the next job
/// (`Ok(false)` at the end), then `work` to map it; `consume`, on one more
/// thread, sees the results in the order the jobs were taken.
///
/// Returns the first error of `next`, if any, and what `consume` returned.
/// Once `consume` returns, the workers stop taking jobs.
pub fn run<S, O, E, N, C, T>(
    workers: usize,
    init: impl Fn() -> S + Sync,
    next: N,
    work: impl Fn(&mut S) -> O + Sync,
    consume: C,
) -> (Result<(), E>, T)
where
    O: Send,
    E: Send,
    N: FnMut(&mut S) -> Result<bool, E> + Send,
    C: FnOnce(&mut dyn Iterator<Item = O>) -> T + Send,
    T: Send,
{
    let workers = workers.max(1);
    let (out_tx, out_rx) = sync_channel::<(u64, O)>(workers * QUEUE_PER_WORKER);
    let source = Mutex::new(Source {
        next,
        taken: 0,
        stopped: None,
    });
    let consumed = thread::scope(|scope| {
        let consumer = scope.spawn(move || consume(&mut InOrder::new(out_rx)));
        for _ in 0..workers {
            let out_tx = out_tx.clone();
            let (source, init, work) = (&source, &init, &work);
            scope.spawn(move || {
                let mut state = init();
                while let Some(number) = take(source, &mut state) {
                    if out_tx.send((number, work(&mut state))).is_err() {
                        stop(source);
                        break;
                    }
                }
            });
        }
        drop(out_tx);
        // The consumer panics only on a bug; re-raise it here rather than hide it.
        match consumer.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let stopped = source.into_inner().ok().and_then(|s| s.stopped);
    (stopped.unwrap_or(Ok(())), consumed)
}

/// Fills `state` with the next job and returns its number; `None` once
/// the workers stop taking.
fn take<S, N, E>(source: &Mutex<Source<N, E>>, state: &mut S) -> Option<u64>
where
    N: FnMut(&mut S) -> Result<bool, E>,
{
    // A poisoned lock means another worker panicked: stop taking jobs.
    let mut source = source.lock().ok()?;
    if source.stopped.is_some() {
        return None;
    }
    match (source.next)(state) {
        Ok(true) => {
            source.taken += 1;
            Some(source.taken)
        }
        Ok(false) => {
            source.stopped = Some(Ok(()));
            None
        }
        Err(e) => {
            source.stopped = Some(Err(e));
            None
        }
    }
}

/// Stops the workers taking jobs (the consumer has gone).
fn stop<N, E>(source: &Mutex<Source<N, E>>) {
    if let Ok(mut source) = source.lock() {
        source.stopped.get_or_insert(Ok(()));
    }
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

    /// A source of the numbers 0..n, one per job.
    fn numbers(n: u64) -> impl FnMut(&mut Option<u64>) -> Result<bool, ()> {
        let mut i = 0;
        move |job| {
            *job = (i < n).then_some(i);
            i += 1;
            Ok(i <= n)
        }
    }

    #[test]
    fn results_arrive_in_the_order_jobs_were_taken() {
        // Later jobs finish first (they sleep less), yet come out in order.
        let (taken, out) = run(
            3,
            || None,
            numbers(20),
            |job: &mut Option<u64>| {
                let i = job.unwrap_or_default();
                std::thread::sleep(std::time::Duration::from_micros(200 * (20 - i)));
                i * 10
            },
            |results| results.collect::<Vec<_>>(),
        );
        assert_eq!(taken, Ok(()));
        assert_eq!(out, (0..20).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_consumer_that_stops_stops_the_workers() {
        // The consumer takes 3 results and returns; sends then fail, so the
        // workers stop taking long before the million jobs.
        let calls = std::sync::atomic::AtomicU64::new(0);
        let (_, taken) = run(
            2,
            || None,
            |job: &mut Option<u64>| {
                let n = calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                *job = Some(n);
                Ok::<bool, ()>(n < 1_000_000)
            },
            |job| *job,
            |results| results.take(3).count(),
        );
        assert_eq!(taken, 3);
        assert!(calls.into_inner() < 1_000);
    }

    #[test]
    fn an_error_of_the_source_stops_the_workers_and_is_returned() {
        let mut i = 0;
        let (taken, out) = run(
            2,
            || 0,
            |job: &mut u32| {
                i += 1;
                *job = i;
                if i == 5 {
                    Err("broken")
                } else {
                    Ok(true)
                }
            },
            |job| *job,
            |results| results.collect::<Vec<_>>(),
        );
        assert_eq!(taken, Err("broken"));
        assert_eq!(out, [1, 2, 3, 4]);
    }
}
