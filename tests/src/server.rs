//! A small static file server for the bundle: GET/HEAD, correct MIME types
//! (`application/wasm` so streaming compilation works), one thread per connection. Text and
//! wasm go gzip -9 compressed to a client that accepts gzip, as a static host serves them, so
//! a load over an emulated slow network moves the bytes the size budget counts.

use crate::Result;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub struct StaticServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// `(url prefix, directory)`, most specific first.
type Mounts = Vec<(String, PathBuf)>;

impl StaticServer {
    pub fn start(mounts: Mounts) -> Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let mounts = Arc::new(mounts);
        let stop_in = stop.clone();
        let thread = std::thread::Builder::new()
            .name("e2e-static".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if stop_in.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let mounts = mounts.clone();
                    let _ = std::thread::Builder::new()
                        .name("e2e-static-conn".into())
                        .spawn(move || handle(conn, &mounts));
                }
            })?;
        Ok(StaticServer {
            port,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn mime(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn resolve(mounts: &Mounts, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let (prefix, dir) = mounts.iter().find(|(p, _)| path.starts_with(p.as_str()))?;
    let rest = &path[prefix.len()..];
    let mut file = dir.clone();
    for part in Path::new(rest).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir | Component::RootDir => {}
            // No escaping the mount.
            Component::ParentDir | Component::Prefix(_) => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn handle(mut conn: TcpStream, mounts: &Mounts) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(clone) = conn.try_clone() else { return };
    let mut reader = BufReader::new(clone);
    // Keep-alive: serve requests until the client closes.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let mut content_length = 0usize;
        let mut close = false;
        let mut gzip = false;
        loop {
            let mut h = String::new();
            match reader.read_line(&mut h) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    content_length = v.trim().parse().unwrap_or(0);
                } else if k == "connection" && v.trim().eq_ignore_ascii_case("close") {
                    close = true;
                } else if k == "accept-encoding" {
                    gzip = v.split(',').any(|e| e.trim().starts_with("gzip"));
                }
            }
        }
        if content_length > 0 {
            let mut body = vec![0; content_length.min(1 << 20)];
            let _ = reader.read_exact(&mut body);
        }
        let ok = match method {
            "GET" | "HEAD" => match resolve(mounts, target).map(|f| (std::fs::read(&f), f)) {
                Some((Ok(body), file)) => {
                    let mime = mime(&file);
                    if let Some(packed) = (gzip && compressible(mime))
                        .then(|| gzipped(&file, &body))
                        .flatten()
                    {
                        respond_with(&mut conn, "200 OK", mime, &packed, method == "HEAD", true)
                    } else {
                        respond(&mut conn, "200 OK", mime, &body, method == "HEAD")
                    }
                }
                _ => respond(
                    &mut conn,
                    "404 Not Found",
                    "text/plain",
                    b"not found",
                    false,
                ),
            },
            _ => respond(
                &mut conn,
                "405 Method Not Allowed",
                "text/plain",
                b"",
                false,
            ),
        };
        if !ok || close {
            break;
        }
    }
    let _ = conn.shutdown(Shutdown::Both);
}

fn respond(conn: &mut TcpStream, status: &str, mime: &str, body: &[u8], head: bool) -> bool {
    respond_with(conn, status, mime, body, head, false)
}

/// Whether a static host would send this type compressed.
fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.starts_with("application/wasm")
        || mime.starts_with("application/json")
        || mime.starts_with("image/svg")
}

/// `body` (the contents of `file`) gzip -9 compressed, kept per file and length so each file
/// is compressed once per run, as a host serves precompressed files.
fn gzipped(file: &Path, body: &[u8]) -> Option<Vec<u8>> {
    use flate2::{write::GzEncoder, Compression};
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<BTreeMap<(PathBuf, usize), Arc<Vec<u8>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (file.to_path_buf(), body.len());
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(hit.to_vec());
    }
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(body).ok()?;
    let packed = enc.finish().ok()?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, Arc::new(packed.clone()));
    }
    Some(packed)
}

fn respond_with(
    conn: &mut TcpStream,
    status: &str,
    mime: &str,
    body: &[u8],
    head: bool,
    gzip: bool,
) -> bool {
    let encoding = if gzip {
        "Content-Encoding: gzip\r\n"
    } else {
        ""
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\n{encoding}Content-Length: {}\r\nCache-Control: no-store\r\nVary: Accept-Encoding\r\n\r\n",
        body.len()
    );
    conn.write_all(header.as_bytes()).is_ok() && (head || conn.write_all(body).is_ok())
}
