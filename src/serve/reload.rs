//! Hot reload: the served directory is polled every 500 ms (the size and
//! modification time of every `.toml` file under it, symlinks followed);
//! a change is acted on once the directory has stayed the same for one more
//! poll, so a burst of writes is one reload. The set is loaded and checked
//! off to the side (`spawn_blocking`) and swapped into [`App::set`] whole.
//! A file that served a rulebook and no longer loads keeps its last good
//! version serving; its error is listed with the time in `/v1/rulebooks`,
//! counted in the metrics and printed on stderr.
//!
//! Polling rather than inotify: it sees renames over a file, Kubernetes
//! config-map symlink swaps and network or container file systems alike,
//! needs no extra crate, and a stat of a few dozen files twice a second
//! costs nothing.

use super::state::RulebookSet;
use super::App;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// How often the directory is looked at.
pub const POLL: Duration = Duration::from_millis(500);

/// What a reload is triggered by: each `.toml` file's size and mtime.
type Fingerprint = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn fingerprint(dir: &Path, out: &mut Fingerprint) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.is_dir() {
            fingerprint(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.insert(path, (meta.len(), meta.modified().ok()));
        }
    }
}

async fn look(dir: &Path) -> Option<Fingerprint> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut f = Fingerprint::new();
        fingerprint(&dir, &mut f);
        f
    })
    .await
    .ok()
}

/// Watches the served directory for as long as the server runs.
pub async fn watch(app: Arc<App>) {
    let dir = app.set.load().dir.clone();
    let mut seen = look(&dir).await.unwrap_or_default();
    let mut pending: Option<Fingerprint> = None;
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(now) = look(&dir).await else { continue };
        if now == seen {
            pending = None;
        } else if pending.as_ref() != Some(&now) {
            // changed since the last poll: wait for it to settle
            pending = Some(now);
        } else {
            seen = now;
            pending = None;
            reload(&app).await;
        }
    }
}

/// Loads the directory anew and swaps the result in.
async fn reload(app: &App) {
    let old = app.set.load_full();
    let dir = old.dir.clone();
    let Ok(mut new) = tokio::task::spawn_blocking(move || RulebookSet::load(&dir)).await else {
        eprintln!("error: reload: loading `{}` failed; the rulebooks served are unchanged", old.dir.display());
        app.metrics.reload_failures.fetch_add(1, Ordering::Relaxed);
        return;
    };
    keep_last_good(&mut new, &old);
    app.metrics.reloads.fetch_add(1, Ordering::Relaxed);
    if new.errors.is_empty() {
        eprintln!("reload: {} rulebook(s) served from `{}`", new.rulebooks.len(), new.dir.display());
    } else {
        app.metrics.reload_failures.fetch_add(1, Ordering::Relaxed);
        for e in &new.errors {
            for d in &e.diagnostics {
                eprintln!("error: reload: {}:{}:{}: {}", d.file, d.line, d.column, d.message);
            }
            match &e.kept {
                Some(id) => eprintln!("  the last good version of `{id}` keeps serving"),
                None => eprintln!("  `{}` is not served", e.path),
            }
        }
    }
    app.set.store(Arc::new(new));
}

/// A rulebook served before whose file, or one of its versions' files, no
/// longer loads stays in the set as it was. It yields only to another file
/// that now serves its id (never to one of its own versions: those are not
/// served on their own while the file listing them fails, `state.rs`).
fn keep_last_good(new: &mut RulebookSet, old: &RulebookSet) {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let failed: Vec<PathBuf> = new.errors.iter().map(|e| canonical(&new.dir.join(&e.path))).collect();
    for (id, loaded) in &old.rulebooks {
        let files: Vec<PathBuf> = std::iter::once(canonical(&old.dir.join(&loaded.path)))
            .chain(loaded.rulebook.versions.iter().map(|v| canonical(&v.path)))
            .collect();
        if !failed.iter().any(|f| files.contains(f)) {
            continue;
        }
        if let Some(now) = new.rulebooks.get(id) {
            if !files.contains(&canonical(&new.dir.join(&now.path))) {
                continue;
            }
        }
        new.rulebooks.insert(id.clone(), Arc::clone(loaded));
        for (e, f) in new.errors.iter_mut().zip(&failed) {
            if files.contains(f) {
                e.kept = Some(id.clone());
            }
        }
    }
}
