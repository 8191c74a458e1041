//! The file work of the window: opening a file, backups, restores, printing, Excel in and out. The
//! long jobs run on the worker, over their own connection; the window takes their results in.

use std::sync::mpsc;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::DangwuApp;
use super::modal::{FileDialog, FilePurpose, Leaving, Modal};
use crate::print::documents::from_store;
use crate::print::{self, PrintFonts};
use crate::store::lock::{self, Access};
use crate::store::settings::UNIT_NAME;
use crate::store::{Db, Source, backup};
use crate::ui::action::{self, PrintRequest};
use crate::ui::worker::JobResult;
use crate::ui::{exchange, new_pages};
use crate::workbook;

impl DangwuApp {
    /// Starts today's backup of the open file on a thread; the window does not wait for it.
    pub(super) fn start_daily_backup(&mut self, egui_ctx: &egui::Context) {
        let Some(path) = self
            .db
            .as_ref()
            .ok()
            .and_then(|db| db.path())
            .map(Path::to_path_buf)
        else {
            return;
        };
        let (tx, rx) = mpsc::channel();
        let today = self.today;
        let repaint = egui_ctx.clone();
        std::thread::spawn(move || {
            let status = match backup::daily(&path, today) {
                Ok(Some(file)) => format!("今日已自动备份：{}", file.display()),
                Ok(None) => "今日备份已存在".to_string(),
                Err(e) => format!("自动备份失败：{e}"),
            };
            let _ = tx.send(status);
            repaint.request_repaint();
        });
        self.backup = Some(rx);
    }

    pub(super) fn poll_backup(&mut self) {
        if let Some(rx) = &self.backup
            && let Ok(status) = rx.try_recv()
        {
            if status.starts_with("自动备份失败") {
                self.toasts.error(status.clone());
            }
            self.backup_status = status;
            self.backup = None;
        }
    }

    /// Opening a file (which may migrate it and back it up first) and 备份到 run on the worker; the
    /// dialog stays up, with its buttons disabled, until the job is done.
    pub(super) fn start_file_job(
        &mut self,
        purpose: FilePurpose,
        path: PathBuf,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        match purpose {
            FilePurpose::SavePdf => {
                let docs = self.print_docs.clone().unwrap_or_default();
                self.worker
                    .start("正在生成 PDF", ctx, move || JobResult::Printed {
                        result: print::write_all(&docs, &PrintFonts::system(), &path),
                    })
            }
            FilePurpose::SaveDocx => {
                let Some(draft) = self.summary_draft.clone() else {
                    return Err("没有要生成的总结初稿".into());
                };
                self.worker.start("正在生成总结初稿", ctx, move || {
                    JobResult::Printed {
                        result: print::docx::write(
                            &draft,
                            &print::docx::DocFonts::this_pc(),
                            &path,
                        )
                        .map(|()| vec![path]),
                    }
                })
            }
            FilePurpose::ImportFrom => self.start_import(
                path,
                workbook::import::Options {
                    dry_run: true,
                    ..Default::default()
                },
                ctx,
            ),
            FilePurpose::ExportTo => {
                let Ok(db) = &self.db else {
                    return Err("没有打开的数据文件".into());
                };
                let today = self.today;
                match db.source() {
                    Some(data) => self.worker.start("正在导出", ctx, move || {
                        exchange::export_job(data, path, today)
                    }),
                    None => {
                        let result = workbook::export::export(db, &path, None, today).map(|_| ());
                        self.job_done(JobResult::Exported { file: path, result }, ctx);
                        Ok(())
                    }
                }
            }
            FilePurpose::ExportList => {
                let (Ok(db), Some((sheet, ids))) = (&self.db, &self.list_export) else {
                    return Err("没有要导出的列表".into());
                };
                let (sheet, ids, today) = (*sheet, ids.clone(), self.today);
                match db.source() {
                    Some(data) => self.worker.start("正在导出", ctx, move || {
                        exchange::export_list_job(data, path, sheet, ids, today)
                    }),
                    None => {
                        let result = workbook::export::export_list(db, &path, sheet, &ids, today)
                            .map(|_| ());
                        self.job_done(JobResult::Exported { file: path, result }, ctx);
                        Ok(())
                    }
                }
            }
            FilePurpose::Template => {
                let result = workbook::export::template(&path);
                self.job_done(JobResult::Exported { file: path, result }, ctx);
                Ok(())
            }
            FilePurpose::Open if self.has_unsaved() => {
                self.modal = Some(Modal::Leaving(Leaving::Open(path)));
                Ok(())
            }
            FilePurpose::Open => self.worker.start("正在打开数据文件", ctx, move || {
                // The old file's lock is still held here: a file opened again is "held elsewhere"
                // by this very window, and the window keeps writing it (see job_done).
                let (db, access) = lock::open_for_window(&path);
                let result = db.map(|db| (db, access)).map_err(|e| e.to_string());
                JobResult::Opened { path, result }
            }),
            FilePurpose::BackupTo => {
                if path.exists() {
                    return Err("该文件已存在，为免覆盖，请换一个文件名".into());
                }
                let Ok(db) = &self.db else {
                    return Err("没有打开的数据文件".into());
                };
                match db.source() {
                    Some(Source::File(source)) => {
                        self.worker.start("正在备份", ctx, move || {
                            let result =
                                backup::copy_file(&source, &path).map_err(|e| e.to_string());
                            JobResult::BackedUp { path, result }
                        })
                    }
                    // A server ledger: the worker's own connection reads it in one transaction.
                    Some(server) => self.worker.start("正在备份", ctx, move || {
                        let result = server
                            .open()
                            .and_then(|db| db.backup_to(&path).map_err(|e| e.to_string()));
                        JobResult::BackedUp { path, result }
                    }),
                    // A database in memory (tests) has no file another connection could read.
                    None => {
                        let result = db.backup_to(&path).map_err(|e| e.to_string());
                        self.job_done(JobResult::BackedUp { path, result }, ctx);
                        Ok(())
                    }
                }
            }
        }
    }

    pub(super) fn job_done(&mut self, result: JobResult, ctx: &egui::Context) {
        let failed = match result {
            JobResult::Connected {
                address,
                result: Ok(db),
            } => {
                self.toasts.success(format!("已连接：服务器 {address}"));
                // A file's lock is for one writer per file; on a server every PC writes.
                self.lock = None;
                self.read_only = None;
                self.held_elsewhere = false;
                self.missing = false;
                self.prefs.server = crate::ui::connect::ServerPrefs::of(&address);
                self.db = Ok(db);
                self.path = None;
                self.server = Some(address.forget_password());
                self.orgs_loaded = None;
                self.pages = new_pages();
                self.backup_status =
                    "服务器上的台账由单位信息中心备份；“备份到…”可另存一份到本机".into();
                self.modal = None;
                None
            }
            JobResult::Connected {
                address,
                result: Err(e),
            } => {
                // No ledger open yet (the window started on this server): the page says why.
                let nothing_open = self.db.is_err();
                if nothing_open {
                    self.db = Err(e.clone());
                }
                if let Some(Modal::Connect(form)) = &mut self.modal {
                    form.failed(e);
                    None
                } else if crate::store::server::wants_password(&e) || e.contains("密码不正确")
                {
                    self.modal = Some(Modal::Connect(crate::ui::connect::ConnectForm::asking(
                        &address, e,
                    )));
                    None
                } else if nothing_open {
                    None
                } else {
                    Some(e)
                }
            }
            JobResult::Opened {
                path,
                result: Ok((db, access)),
            } => {
                self.toasts.success(format!("已打开：{}", path.display()));
                // The new file's lock replaces the old one's; held elsewhere, it opens read-only.
                let same_file = self.path.as_deref() == Some(path.as_path());
                match access {
                    Access::Writer(l) => {
                        self.lock = Some(l);
                        self.read_only = None;
                    }
                    // This window's own lock: it stays the writer.
                    Access::HeldElsewhere if same_file && self.lock.is_some() => {}
                    Access::HeldElsewhere => {
                        self.lock = None;
                        self.read_only = Some(lock::HELD_ELSEWHERE.into());
                    }
                    Access::ReadOnly(why) => {
                        self.lock = None;
                        self.read_only = Some(why);
                    }
                }
                self.replace_db(db, path, ctx);
                None
            }
            JobResult::Opened { result: Err(e), .. } => Some(e),
            JobResult::BackedUp {
                path,
                result: Ok(summary),
            } => {
                self.toasts.success(format!(
                    "已备份到：{}（{}）",
                    path.display(),
                    summary.describe()
                ));
                let remember = action::Write::Setting {
                    key: crate::store::settings::LAST_BACKUP_TO,
                    value: crate::model::date::iso(self.today),
                };
                // A read-only window may back up, but not note it in the file.
                if self.read_only.is_none()
                    && let Some(done) = self.write(remember)
                    && let Err(e) = done.result
                {
                    self.toasts.error(format!("未能记下备份日期：{e}"));
                }
                None
            }
            JobResult::BackedUp { result: Err(e), .. } => Some(format!("备份失败：{e}")),
            JobResult::Restored {
                from,
                result: Ok(restored),
            } => {
                self.modal = None;
                if let Ok(db) = &mut self.db {
                    db.changed_elsewhere();
                }
                self.orgs_loaded = None;
                self.toasts.success(format!(
                    "已从“{}”恢复（{}）。恢复前的数据已另存为：{}",
                    from.display(),
                    restored.summary.describe(),
                    restored.kept_as.display()
                ));
                None
            }
            JobResult::Restored { result: Err(e), .. } => {
                let message = format!("恢复失败：{e}");
                if let Some(Modal::Restore(dialog)) = &mut self.modal {
                    dialog.failed(message.clone());
                }
                Some(message)
            }
            JobResult::Printed { result: Ok(paths) } => {
                self.print_docs = None;
                self.summary_draft = None;
                if let Some(first) = paths.first() {
                    let names: Vec<String> =
                        paths.iter().map(|p| p.display().to_string()).collect();
                    self.toasts.success(format!("已生成：{}", names.join("、")));
                    // Opened with the system's program (a PDF viewer to print from, Word or WPS
                    // to finish a draft). Its own error text is English and says nothing useful.
                    if self.print_dir.is_none() && open::that(first).is_err() {
                        // Its own error text is a launcher's, in English: say where it is instead.
                        self.modal = Some(Modal::NotOpened(first.clone(), false));
                    }
                }
                None
            }
            JobResult::Printed { result: Err(e) } => Some(format!("打印失败：{e}")),
            JobResult::Imported {
                file,
                options,
                result: Ok(report),
            } if options.dry_run => {
                self.modal = Some(Modal::ImportPreview(exchange::Preview {
                    file,
                    options,
                    report,
                    problems_saved: None,
                }));
                None
            }
            JobResult::Imported {
                result: Ok(report), ..
            } if report.written => {
                self.modal = None;
                let added: usize = report.sheets.iter().map(|s| s.added + s.updated).sum();
                self.toasts
                    .success(format!("已导入：新增或更新 {added} 条记录"));
                if let Ok(db) = &mut self.db {
                    db.changed_elsewhere();
                }
                self.orgs_loaded = None;
                None
            }
            JobResult::Imported {
                file,
                mut options,
                result: Ok(report),
            } => {
                // Something changed between the preview and the import: show it again.
                options.dry_run = true;
                self.modal = Some(Modal::ImportPreview(exchange::Preview {
                    file,
                    options,
                    report,
                    problems_saved: None,
                }));
                Some("导入未完成，未写入任何内容".into())
            }
            JobResult::Imported { result: Err(e), .. } => Some(e),
            JobResult::Exported {
                file,
                result: Ok(()),
            } => {
                self.toasts.success(format!("已保存：{}", file.display()));
                None
            }
            JobResult::Exported { result: Err(e), .. } => Some(e),
        };
        // A job started from the file dialog: done, it closes; failed, the dialog says why.
        match (failed, &mut self.modal) {
            (None, Some(Modal::File(_))) => self.modal = None,
            (None, _) => {}
            (Some(message), Some(Modal::File(dialog))) => dialog.message = Some(message),
            (Some(message), _) => self.toasts.error(message),
        }
    }

    /// Checks (`dry_run`) or imports a workbook: on the worker over its own connection, or in place
    /// for a database in memory.
    pub(super) fn start_import(
        &mut self,
        file: PathBuf,
        options: workbook::import::Options,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        let today = self.today;
        let label = if options.dry_run {
            "正在检查工作簿"
        } else {
            "正在导入"
        };
        let Ok(db) = &mut self.db else {
            return Err("没有打开的数据文件".into());
        };
        match db.source() {
            Some(data) => self.worker.start(label, ctx, move || {
                exchange::import_job(data, file, options, today)
            }),
            None => {
                let result = exchange::import_into(db, &file, &options, today);
                self.job_done(
                    JobResult::Imported {
                        file,
                        options,
                        result,
                    },
                    ctx,
                );
                Ok(())
            }
        }
    }

    pub(super) fn replace_db(&mut self, db: Db, path: PathBuf, ctx: &egui::Context) {
        self.db = Ok(db);
        self.path = Some(path);
        self.server = None;
        self.orgs_loaded = None;
        self.pages = new_pages();
        self.backup_status.clear();
        self.start_daily_backup(ctx);
    }

    /// Builds the documents of `request` and asks where to save them (or, for tests, writes them
    /// into the injected folder). The 单位名称 is asked for first if the file has none.
    pub(super) fn print(&mut self, request: PrintRequest, egui_ctx: &egui::Context) {
        let Ok(db) = &self.db else { return };
        if db.setting(UNIT_NAME).ok().flatten().is_none() {
            self.toasts.info("打印前请先填写单位名称，它将印在标题中");
            self.modal = Some(Modal::Settings(String::new()));
            self.pending_print = Some(request);
            return;
        }
        if let PrintRequest::Summary(scope) = &request {
            match from_store::summary(db, scope, self.today) {
                Ok(draft) => {
                    let name = format!("{}.docx", draft.title);
                    self.summary_draft = Some(draft);
                    self.save_where(FilePurpose::SaveDocx, name, egui_ctx);
                }
                Err(e) => self.toasts.error(format!("无法生成总结初稿：{e}")),
            }
            return;
        }
        let docs = match print_docs(db, &request, self.today) {
            Ok(docs) => docs,
            Err(e) => {
                self.toasts.error(format!("无法打印：{e}"));
                return;
            }
        };
        let Some((first, _)) = docs.first() else {
            return;
        };
        let name = format!("{}.pdf", first.title);
        self.print_docs = Some(docs);
        self.save_where(FilePurpose::SavePdf, name, egui_ctx);
    }

    /// Asks where to save a document named `name` (in the user's Documents by default), or, for
    /// tests, writes it into the injected folder.
    fn save_where(&mut self, purpose: FilePurpose, name: String, egui_ctx: &egui::Context) {
        if let Some(dir) = &self.print_dir {
            let path = dir.join(name);
            if let Err(e) = self.start_file_job(purpose, path, egui_ctx) {
                self.toasts.error(e);
            }
            return;
        }
        self.modal = Some(Modal::File(FileDialog::at(purpose, documents().join(name))));
    }
}

/// The documents of a print request, each with the suffix its file takes beside the first.
pub(super) fn print_docs(
    db: &Db,
    request: &PrintRequest,
    today: NaiveDate,
) -> Result<Vec<(print::Doc, String)>, String> {
    let e = |e: crate::store::StoreError| e.to_string();
    Ok(match request {
        PrintRequest::Tally(scope) => {
            vec![(
                from_store::tally(db, scope, today).map_err(e)?,
                String::new(),
            )]
        }
        PrintRequest::Activity(id) => {
            let (minutes, sign_in) = from_store::activity(db, *id, today).map_err(e)?;
            vec![(minutes, String::new()), (sign_in, "签到表".into())]
        }
        PrintRequest::Dues { org, year } => vec![(
            from_store::dues(db, *org, *year, today).map_err(e)?,
            String::new(),
        )],
        // A Word document, not pages to print: see `DangwuApp::print`.
        PrintRequest::Summary(_) => Vec::new(),
        PrintRequest::Rectification { ids, filter } => {
            let items: Vec<_> = db
                .rectifications()
                .map_err(e)?
                .into_iter()
                .filter(|i| i.id.is_some_and(|id| ids.contains(&id)))
                .collect();
            vec![(
                from_store::rectification(db, &items, filter, today).map_err(e)?,
                String::new(),
            )]
        }
    })
}

/// The user's documents folder, where files offered for saving go by default.
pub(super) fn documents() -> PathBuf {
    // Always a full path: where a file lands must not depend on how the app was started. A
    // desktop without a Documents folder (a bare Linux session) gets the home folder.
    let user = directories::UserDirs::new();
    user.as_ref()
        .and_then(|u| u.document_dir().map(Path::to_path_buf))
        .or_else(|| user.as_ref().map(|u| u.home_dir().to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}
