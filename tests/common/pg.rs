//! A throwaway PostgreSQL cluster for the server tests: `initdb` in a temporary folder, run by an
//! unprivileged user (`postgres` when the tests run as root), on a free port of 127.0.0.1, with
//! password logins (scram). One per test binary; it stops and its folder goes when the binary
//! ends. There is no skipping: without PostgreSQL's programs the tests fail and say how to
//! install them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The cluster's superuser and password: the bureau IT's administrator login in the tests.
pub const ADMIN: &str = "dangwu_admin";
pub const ADMIN_PASSWORD: &str = "admin-测试-secret";

pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
    dir: PathBuf,
}

fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DANGWU_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").is_file())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop().unwrap_or_else(|| {
        panic!(
            "服务器测试需要 PostgreSQL：sudo apt-get install -y postgresql（或用 DANGWU_PG_BIN 指明 initdb 所在的文件夹）"
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a PostgreSQL program as the unprivileged user (initdb and postgres refuse root).
fn run(program: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let out = cmd.args(args).output().expect("PostgreSQL program runs");
    assert!(
        out.status.success(),
        "{} {:?}: {}{}",
        program.display(),
        args,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The cluster of this test binary, started on first use.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(start)
}

fn start() -> Cluster {
    let bin = bin_dir();
    let dir = std::env::temp_dir().join(format!("dangwu-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("data");
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
    // TLS as a bureau's server offers it: a certificate of its own (self-signed here) for
    // localhost and 127.0.0.1.
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    std::fs::write(dir.join("server.crt"), certified.cert.pem()).unwrap();
    std::fs::write(
        dir.join("server.key"),
        certified.signing_key.serialize_pem(),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres"])
            .arg(&dir)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    run(
        &bin.join("initdb"),
        &[
            "-D",
            data.to_str().unwrap(),
            "-U",
            ADMIN,
            "--pwfile",
            pwfile.to_str().unwrap(),
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--auth-local=scram-sha-256",
            "--auth-host=scram-sha-256",
        ],
    );
    let port = free_port();
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} -c fsync=off \
         -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
        dir = dir.display()
    );
    run(
        &bin.join("pg_ctl"),
        &[
            "-D",
            data.to_str().unwrap(),
            "-o",
            &options,
            "-l",
            dir.join("log").to_str().unwrap(),
            "-w",
            "start",
        ],
    );
    // Stopped and removed when this test binary has ended, however it ends.
    let watcher = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         {runas}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        runas = if is_root() {
            "runuser -u postgres -- "
        } else {
            ""
        },
        pg_ctl = bin.join("pg_ctl").display(),
        data = data.display(),
        dir = dir.display(),
    );
    // Not waited for: it outlives this process on purpose, to stop the cluster after it.
    #[allow(clippy::zombie_processes)]
    Command::new("setsid")
        .args(["sh", "-c", &watcher])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watcher starts");
    Cluster { port, bin, dir }
}

impl Cluster {
    /// The server's certificate, as a bureau's IT would hand it out for `sslrootcert`.
    pub fn certificate(&self) -> PathBuf {
        self.dir.join("server.crt")
    }

    /// A new empty database, its name made from `name` and unique in this run.
    pub fn database(&self, name: &str) -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let db = format!("{name}_{n}");
        self.psql("postgres", &format!("CREATE DATABASE {db}"));
        db
    }

    /// `postgres://dangwu_admin:…@127.0.0.1:port/db`.
    pub fn admin_url(&self, db: &str) -> String {
        self.url(ADMIN, ADMIN_PASSWORD, db)
    }

    pub fn url(&self, user: &str, password: &str, db: &str) -> String {
        let password: String = password
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        format!("postgres://{user}:{password}@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs `sql` as the administrator through psql.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .env("PGPASSWORD", ADMIN_PASSWORD)
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                ADMIN,
                "-d",
                db,
            ])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}
