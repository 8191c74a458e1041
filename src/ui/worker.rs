//! Long file work off the UI thread: opening another data file (which may migrate and back it up),
//! 备份到…, and later import, export and print. One job at a time; the window keeps repainting and
//! the status bar shows what runs. A second request while one runs is refused with a message.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

use crate::store::Db;

/// What a finished job hands back to the window.
pub enum JobResult {
    Opened {
        path: PathBuf,
        result: Result<(Db, crate::store::lock::Access), String>,
    },
    /// 恢复备份 done on the worker's own connection to the live file.
    Restored {
        from: PathBuf,
        result: Result<crate::store::backup::Restored, String>,
    },
    BackedUp {
        path: PathBuf,
        result: Result<crate::store::backup::Summary, String>,
    },
    Printed {
        result: Result<Vec<PathBuf>, String>,
    },
    /// A workbook imported (or checked, with `dry_run`).
    Imported {
        file: PathBuf,
        /// What the user said of the workbook (its reading corrected, an organisation chosen).
        options: crate::workbook::import::Options,
        result: Result<crate::workbook::import::Report, String>,
    },
    Exported {
        file: PathBuf,
        result: Result<(), String>,
    },
    /// 连接单位服务器: the ledger on the server, or why not.
    Connected {
        address: crate::store::server::Address,
        result: Result<Db, String>,
    },
}

#[derive(Default)]
pub struct Worker {
    running: Option<(String, Receiver<JobResult>)>,
}

impl Worker {
    /// What runs now, as the status bar says it ("正在打开数据文件…").
    pub fn busy(&self) -> Option<&str> {
        self.running.as_ref().map(|(label, _)| label.as_str())
    }

    /// Starts `job` on a thread; `Err` with a sentence for the user when another job is running.
    pub fn start(
        &mut self,
        label: impl Into<String>,
        egui_ctx: &egui::Context,
        job: impl FnOnce() -> JobResult + Send + 'static,
    ) -> Result<(), String> {
        if let Some(running) = self.busy() {
            return Err(format!("{running}，请等它完成后再试"));
        }
        let (tx, rx) = mpsc::channel();
        let repaint = egui_ctx.clone();
        std::thread::spawn(move || {
            let result = job();
            give_memory_back();
            let _ = tx.send(result);
            // Wake the window: it is idle otherwise and would not look for the result.
            repaint.request_repaint();
        });
        self.running = Some((label.into(), rx));
        Ok(())
    }

    /// The finished job's result, once.
    pub fn poll(&mut self) -> Option<JobResult> {
        let (_, rx) = self.running.as_ref()?;
        match rx.try_recv() {
            Ok(result) => {
                self.running = None;
                Some(result)
            }
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                // The job panicked: say so rather than spin forever.
                self.running = None;
                None
            }
        }
    }

    /// Waits for the running job (tests, which have no event loop to wake).
    pub fn wait(&mut self) -> Option<JobResult> {
        let (_, rx) = self.running.take()?;
        rx.recv().ok()
    }
}

/// Hands what a job freed back to the system. glibc keeps a thread's freed heap (its own arena)
/// for reuse, so after a PDF or a workbook the window kept tens of MB it no longer used.
fn give_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
