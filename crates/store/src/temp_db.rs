//! [`TempDatabase`]: a PostgreSQL database made for one test and dropped after it, on the
//! server `$STORYLINE_TEST_POSTGRES` names (default `postgres://127.0.0.1:5432/postgres`, the
//! machine's own). Tests that need PostgreSQL fail with a message naming what is missing,
//! never skip: CI has the server, and a skipped test would hide a broken backend.

use postgres::{Client, NoTls};

use crate::postgres::pg_message;

/// The variable naming the server tests create their databases on (a URL of a database the
/// user can connect to, with the right to create databases).
pub const TEST_SERVER_VAR: &str = "STORYLINE_TEST_POSTGRES";
const DEFAULT_SERVER: &str = "postgres://127.0.0.1:5432/postgres";

pub struct TempDatabase {
    admin: String,
    name: String,
    url: String,
}

impl TempDatabase {
    /// Creates an empty database with a name no other test uses (`prefix`, the process id, a
    /// counter and the time).
    pub fn create(prefix: &str) -> Result<TempDatabase, String> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let admin = std::env::var(TEST_SERVER_VAR).unwrap_or_else(|_| DEFAULT_SERVER.into());
        let mut client = Client::connect(&admin, NoTls).map_err(|e| {
            format!(
                "PostgreSQL is needed for this test and cannot be reached at {admin}: {} \
                 (start a PostgreSQL 15 server there, or set {TEST_SERVER_VAR} to one where you may create databases)",
                pg_message(&e)
            )
        })?;
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let safe: String = prefix
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(30)
            .collect();
        let name = format!("storyline_t_{safe}_{}_{n}_{nanos}", std::process::id());
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|e| format!("cannot create the test database {name}: {}", pg_message(&e)))?;
        let url = match admin.rsplit_once('/') {
            Some((server, db)) if !server.ends_with('/') && !db.contains('@') => {
                let query = db
                    .split_once('?')
                    .map(|(_, q)| format!("?{q}"))
                    .unwrap_or_default();
                format!("{server}/{name}{query}")
            }
            _ => format!("{}/{name}", admin.trim_end_matches('/')),
        };
        Ok(TempDatabase { admin, name, url })
    }

    /// The database's URL, for `--db`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = Client::connect(&self.admin, NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}
