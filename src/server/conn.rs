//! Connections: the accept loop, its cap and its timeouts.
//!
//! hyper serves each connection (HTTP/1.1, keep-alive). Around it:
//!
//! - **Header timeout**: a request head must be complete within
//!   [`Limits::header_timeout`] of the server starting to wait for it (the
//!   connection opened, or the previous answer sent); a client that trickles
//!   header lines is closed when it runs out (hyper's own timer).
//! - **Idle timeout**: a connection on which no byte arrives or leaves for
//!   [`Limits::idle_timeout`] while no request of it is being answered is
//!   closed: idle keep-alive connections, silent sockets, and clients that
//!   stop reading their answer.
//! - **Connection cap**: at most [`Limits::max_connections`] connections are
//!   served at once (by default derived from the open-file limit, so that
//!   sockets can never use up the descriptors the index needs). Beyond it a
//!   connection is answered `503 Service Unavailable` with `Retry-After` and
//!   closed; beyond a further quarter of the cap (the answering sockets cost
//!   descriptors too) it is closed at once.

use super::error::ApiError;
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

/// Default [`Limits::header_timeout`].
pub(crate) const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`Limits::idle_timeout`]; shorter than the header timeout, which
/// also bounds a keep-alive connection waiting for its next request.
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// File descriptors kept for everything but client sockets: the index's
/// files while a generation opens, the runtime, standard streams.
pub(crate) const RESERVED_FDS: u64 = 128;
/// Fewest connections served at once, whatever the open-file limit.
pub(crate) const MIN_CONNECTIONS: usize = 4;
/// Most connections served at once by default.
pub(crate) const MAX_DEFAULT_CONNECTIONS: usize = 16_384;
/// Seconds a refused client is asked to wait (`Retry-After`).
pub(crate) const RETRY_AFTER_SECS: u64 = 1;
/// How long a refused connection may take to send its request head before
/// the 503 goes out anyway, and to read the answer before it is closed.
const REFUSAL_GRACE: Duration = Duration::from_secs(1);

/// How many connections, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to send a whole request head (`--header-timeout`).
    pub header_timeout: Duration,
    /// Time a connection may stay silent between requests (`--idle-timeout`).
    pub idle_timeout: Duration,
    /// Connections served at once (`--max-connections`); beyond, 503.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: default_max_connections(),
        }
    }
}

impl Limits {
    /// Connections answered 503 at once beyond the cap (a quarter of it).
    pub(crate) fn max_refusing(&self) -> usize {
        (self.max_connections / 4).clamp(MIN_CONNECTIONS, 4096)
    }
}

/// The connection cap for an open-file limit: four fifths of the
/// descriptors left after [`RESERVED_FDS`]; the last fifth (a quarter of the
/// cap) answers 503s.
pub(crate) fn max_connections_for(open_files: u64) -> usize {
    let usable = open_files.saturating_sub(RESERVED_FDS) * 4 / 5;
    usize::try_from(usable)
        .unwrap_or(usize::MAX)
        .clamp(MIN_CONNECTIONS, MAX_DEFAULT_CONNECTIONS)
}

/// The process's soft limit on open files (1024 when it cannot be read).
pub(crate) fn open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one rlimit struct we own.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            return lim.rlim_cur;
        }
    }
    1024
}

/// The default cap, from this process's open-file limit.
pub fn default_max_connections() -> usize {
    max_connections_for(open_file_limit())
}

/// When a connection last moved a byte, and how many of its requests are
/// being answered.
struct Activity {
    epoch: Instant,
    last_ms: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Arc<Activity> {
        Arc::new(Activity {
            epoch: Instant::now(),
            last_ms: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        })
    }

    fn touch(&self) {
        let ms = self.epoch.elapsed().as_millis() as u64;
        self.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.epoch.elapsed().saturating_sub(last)
    }

    /// Completes once no request is being answered and nothing has moved
    /// for `limit`.
    async fn idle(&self, limit: Duration) {
        loop {
            let silent = self.silent_for();
            let busy = self.busy.load(Ordering::Relaxed) > 0;
            if !busy && silent >= limit {
                return;
            }
            let wait = if busy { limit } else { limit - silent };
            tokio::time::sleep(wait.max(Duration::from_millis(10))).await;
        }
    }
}

/// Marks a request as being answered until dropped.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(a: &Arc<Activity>) -> Busy {
        a.busy.fetch_add(1, Ordering::Relaxed);
        a.touch();
        Busy(a.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A socket that records when bytes move.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.tcp).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

/// Serves one connection until it ends, times out, or the server stops.
async fn serve_connection(
    tcp: TcpStream,
    router: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = tcp.set_nodelay(true);
    let activity = Activity::new();
    let io = TokioIo::new(Watched {
        tcp,
        activity: activity.clone(),
    });
    let answering = activity.clone();
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let busy = Busy::new(&answering);
        let mut router = router.clone();
        async move {
            let res = tower_service::Service::call(&mut router, req.map(Body::new)).await;
            drop(busy);
            res
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let mut conn = pin!(builder.serve_connection(io, service));
    tokio::select! {
        _ = conn.as_mut() => return,
        () = activity.idle(limits.idle_timeout) => return,
        _ = stopping.wait_for(|s| *s) => conn.as_mut().graceful_shutdown(),
    }
    // stopping: let the answers being written finish, within the idle bound
    tokio::select! {
        _ = conn.as_mut() => {}
        () = activity.idle(limits.idle_timeout) => {}
    }
}

/// The answer to a connection over the cap.
fn busy_answer() -> Vec<u8> {
    let e = ApiError::unavailable(format!(
        "the server is answering as many connections as it may: try again in {RETRY_AFTER_SECS} s"
    ));
    let mut body = serde_json::to_string(&e).unwrap_or_else(|_| "{}".into());
    body.push('\n');
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\n\
retry-after: {RETRY_AFTER_SECS}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\
content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Answers 503 to a connection over the cap: reads its request head first
/// (briefly), so that closing the socket does not reset it before the
/// client reads the answer, then closes.
async fn refuse(mut tcp: TcpStream) {
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    let _ = tokio::time::timeout(REFUSAL_GRACE, async {
        while let Ok(n) = tcp.read(&mut buf).await {
            seen.extend_from_slice(&buf[..n]);
            if n == 0 || seen.windows(4).any(|w| w == b"\r\n\r\n") || seen.len() > 16 * 1024 {
                break;
            }
        }
    })
    .await;
    let _ = tokio::time::timeout(REFUSAL_GRACE, async {
        tcp.write_all(&busy_answer()).await?;
        tcp.shutdown().await?;
        // wait for the client to close, discarding what it still sends
        while tcp.read(&mut buf).await? > 0 {}
        Ok::<_, io::Error>(())
    })
    .await;
}

/// Accepts connections until `shutdown` completes, then lets the open ones
/// finish their answers (within the idle timeout) and returns.
pub(super) async fn serve<F>(listener: TcpListener, router: Router, limits: Limits, shutdown: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(limits.max_refusing()));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    let mut reported = false;
    loop {
        let (tcp, _) = tokio::select! {
            () = shutdown.as_mut() => break,
            r = listener.accept() => match r {
                Ok(c) => { reported = false; c }
                Err(e) => {
                    // out of descriptors (or a connection reset before it
                    // was accepted): wait a little rather than spin
                    if !reported && !is_connection_error(&e) {
                        crate::log_line!("repsearch serve: cannot accept a connection: {e}");
                        reported = true;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        if let Ok(slot) = slots.clone().try_acquire_owned() {
            let (router, stopping) = (router.clone(), stopping.clone());
            tokio::spawn(async move {
                serve_connection(tcp, router, limits, stopping).await;
                drop(slot);
            });
        } else if let Ok(slot) = refusals.clone().try_acquire_owned() {
            tokio::spawn(async move {
                refuse(tcp).await;
                drop(slot);
            });
        } // else: dropped, closing the socket at once
    }
    let _ = stop.send(true);
    drop(listener);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(
        limits.idle_timeout + limits.header_timeout,
        slots.acquire_many(all),
    )
    .await;
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_follows_the_open_file_limit() {
        assert_eq!(max_connections_for(0), MIN_CONNECTIONS);
        assert_eq!(max_connections_for(128), MIN_CONNECTIONS);
        assert_eq!(max_connections_for(1024), 716);
        assert_eq!(max_connections_for(1 << 40), MAX_DEFAULT_CONNECTIONS);
        // the cap, the refusals and the reserve fit in the limit
        for n in [256u64, 1024, 4096, 65536] {
            let l = Limits {
                max_connections: max_connections_for(n),
                ..Limits::default()
            };
            let used = (l.max_connections + l.max_refusing()) as u64 + RESERVED_FDS;
            assert!(used <= n, "{n}: {used}");
        }
    }
}
