// A release build on Windows opens no console window behind the app.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dangwu::store::server::{self, Address};
use dangwu::store::{Db, backup};

/// `println!` that survives a closed or full stdout: `dangwu tally | head` ends quietly when `head`
/// has what it wanted, instead of panicking and writing an error report.
macro_rules! say {
    ($($arg:tt)*) => {
        out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that never panics: with stderr closed there is nobody left to tell.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Writes `text` to stdout as it is. A reader that went away (a closed pipe) ends the command
/// quietly and successfully: whatever the command wrote is already written when it reports. Any
/// other failure (a full disk behind `>`) is said in Chinese and ends it with an error.
fn out(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            tell!("无法输出结果：{}", dangwu::paths::io_message(&e));
            std::process::exit(1);
        }
    }
}

/// 党务台账：党组和党支部的党务记录与年度统计。不带子命令时打开窗口。
#[derive(Parser)]
#[command(name = "dangwu", version)]
struct Cli {
    /// 数据文件（默认在用户数据目录下的 dangwu/dangwu.sqlite），或单位服务器上的台账
    /// postgres://用户名@主机:端口/数据库（密码取自 PGPASSWORD 或 pgpass 文件，否则询问）
    #[arg(long, global = true, value_name = "FILE|postgres://…")]
    db: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// 报告段落和统计表
    Text,
    /// 一个 JSON 对象（键名见 tally.md）
    Json,
}

#[derive(Subcommand)]
enum PrintWhat {
    /// 会议记录（FILE）和签到表（FILE 旁的“…-签到表.pdf”）
    Activity {
        /// 活动记录的编号或 uid
        id: String,
        #[arg(long, value_name = "FILE")]
        pdf: PathBuf,
    },
    /// 问题清单和整改台账（不含已作废的问题）
    Rectification {
        #[arg(long, value_name = "FILE")]
        pdf: PathBuf,
    },
    /// 党费收缴公示表（一个党组织一年）
    Dues {
        /// 党组织名称，如 机关第一党支部
        #[arg(long)]
        org: String,
        /// 年度，如 2022
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "FILE")]
        pdf: PathBuf,
    },
}

#[derive(Subcommand)]
enum ServerWhat {
    /// 允许一个登录名使用台账：只限某个组织及其下级组织（--org），或全局；登录名不存在时新建
    /// （新登录的密码取自环境变量 DANGWU_NEW_PASSWORD，否则询问）
    Grant {
        /// 服务器上的登录名（如 zhibu1）
        #[arg(long)]
        login: String,
        /// 只能查看和修改此组织及其下级组织的记录（组织名称）；不写则可查看全部
        #[arg(long, value_name = "名称")]
        org: Option<String>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// 年度统计：全年（或截至某日）的学习、会议、党员、谈话、整改等各项数字
    Tally {
        /// 统计年度，如 2022
        #[arg(long)]
        year: i32,
        /// 截至日期（用于季度、半年等阶段性统计），须在该年度内
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// 只统计此组织及其下级组织（组织名称）
        #[arg(long, value_name = "名称")]
        org: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// 同时打印为 A4 PDF 文件（年度党建工作统计）
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// 同时生成年度党建工作总结初稿（Word .docx，公文格式）
        #[arg(long, value_name = "FILE")]
        docx: Option<PathBuf>,
    },
    /// 打印为 A4 PDF：一次活动的会议记录和签到表，或问题清单和整改台账
    Print {
        #[command(subcommand)]
        what: PrintWhat,
    },
    /// 从 Excel / WPS 工作簿（.xlsx、.xls、.ods）导入：全部成功才写入，有错误则列出并不写入任何内容
    Import {
        /// 工作簿文件
        file: PathBuf,
        /// 只检查并报告将新增、更新的条数，不写入
        #[arg(long)]
        dry_run: bool,
        /// 数据文件不存在时新建一个再导入（默认拒绝，以免路径写错时导入到一个新的空白文件）
        #[arg(long)]
        create: bool,
        /// 没有“组织”列、表名和标题中也没写明组织的工作表，其记录属于这个组织
        #[arg(long, value_name = "名称")]
        org: Option<String>,
    },
    /// 导出全部台账为 Excel 工作簿（.xlsx）
    Export {
        /// 要写入的 .xlsx 文件
        file: PathBuf,
        /// 只导出该年度的记录（组织和党员总是全部导出）
        #[arg(long)]
        year: Option<i32>,
    },
    /// 写出空白的导入模板（.xlsx，表头有填写说明，每表一行示例）
    Template {
        /// 要写入的 .xlsx 文件
        file: PathBuf,
    },
    /// 设置单位名称（打印在标题中，如“XX市民政局”）
    SetUnit {
        /// 单位名称
        name: String,
    },
    /// 把数据文件备份到指定位置（SQLite 在线备份，打开中的文件也可以备份）
    Backup {
        /// 备份文件的路径（不能是已存在的文件）
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// 从备份恢复：当前数据先另存为 backups 文件夹中的“…恢复前…”，再换成备份中的数据（含附件）
    Restore {
        /// 备份文件（backups 文件夹中的 .sqlite，或“备份到”保存的文件）
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// 把台账整个复制到服务器（FILE → postgres://…，须是空数据库），或从服务器复制为数据文件
    Copy {
        /// 来源：数据文件，或 postgres://…
        #[arg(long, value_name = "FILE|postgres://…")]
        from: String,
        /// 去向：postgres://…（空数据库），或一个尚不存在的 .sqlite 文件
        #[arg(long, value_name = "postgres://…|FILE")]
        to: String,
    },
    /// 单位服务器上的台账的管理（须以台账所有者的身份连接，--db postgres://…）
    Server {
        #[command(subcommand)]
        what: ServerWhat,
    },
    /// 向空白数据文件写入一个模拟的民政局（组织、党员、多年的活动及出席情况），用于试用和性能测试
    DemoData {
        /// 模拟多少年的活动（截至今天）
        #[arg(long, default_value_t = 3)]
        years: u32,
        /// 党员人数（约每35人一个党支部）
        #[arg(long, default_value_t = 300)]
        members: usize,
        /// 用“集中学习”记录把活动总数补足到此数（性能测试用）
        #[arg(long)]
        records: Option<usize>,
        /// 谈话记录总数，平均分在各年（默认每年 24 次；性能测试用）
        #[arg(long)]
        talks: Option<usize>,
        /// 整改问题总数，平均分在各年（默认每年 10 个；性能测试用）
        #[arg(long)]
        items: Option<usize>,
    },
}

fn main() -> ExitCode {
    attach_console();
    let cli = Cli::parse();
    let ledger = match cli.db {
        Some(url) if server::is_address(&url) => Ledger::Server(url),
        // A file named with --db that does not exist is asked about before it is created (a
        // mistyped path must not become an empty ledger); the default file is created on first start.
        named => Ledger::File {
            named: named.is_some(),
            path: named
                .map(PathBuf::from)
                .unwrap_or_else(dangwu::paths::default_db_path),
        },
    };
    if let Ledger::File { path, .. } = &ledger {
        dangwu::crash::install(dangwu::crash::logs_dir(path));
    }
    let today = chrono::Local::now().date_naive();
    match cli.command {
        None => {
            let shown = match &ledger {
                Ledger::File { path, named } => dangwu::ui::run(path.clone(), *named),
                Ledger::Server(url) => match Address::parse(url) {
                    Ok(address) => dangwu::ui::run_server(address),
                    Err(e) => return report(Err(e)),
                },
            };
            match shown {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report(Err(format!("无法打开窗口：{e}"))),
            }
        }
        Some(Command::DemoData {
            years,
            members,
            records,
            talks,
            items,
        }) => {
            let options = dangwu::demo::DemoOptions {
                years,
                members,
                records,
                talks,
                items,
                today,
            };
            if let Err(e) = options.check() {
                return report(Err(e.to_string()));
            }
            let started = std::time::Instant::now();
            // A new file may be made here (and a new ledger on an empty server database).
            let opened = match &ledger {
                Ledger::File { path, .. } => writer_lock(path)
                    .and_then(|lock| Ok((lock, Db::open(path).map_err(|e| e.to_string())?))),
                Ledger::Server(url) => connect(url, false).map(|db| (None, db)),
            };
            match opened {
                Ok((_lock, db)) => demo(db, &options, started),
                Err(e) => report(Err(e)),
            }
        }
        Some(Command::Tally {
            year,
            as_of,
            org,
            format,
            pdf,
            docx,
        }) => tally(
            ledger.read(),
            year,
            as_of.as_deref(),
            org.as_deref(),
            format,
            Outputs { pdf, docx },
        ),
        Some(Command::Print { what }) => print(ledger.read(), what),
        Some(Command::Import {
            file,
            dry_run,
            create,
            org,
        }) => match &ledger {
            Ledger::File { path, .. } => import(path, &file, dry_run, create, org),
            Ledger::Server(url) => match dangwu::workbook::Book::open(&file)
                .and_then(|book| Ok((book, connect(url, dry_run)?)))
            {
                Ok((book, mut db)) => import_into(&mut db, book, &file, dry_run, org),
                Err(e) => report(Err(e)),
            },
        },
        Some(Command::Export { file, year }) => export(ledger.read(), &file, year),
        Some(Command::Template { file }) => report(
            dangwu::workbook::export::template(&file)
                .map(|()| format!("已写出导入模板 {}", file.display())),
        ),
        Some(Command::Restore { from }) => {
            let Ledger::File { path, .. } = &ledger else {
                return report(Err(
                    "服务器上的台账不能直接从备份恢复：请新建一个空数据库，用“dangwu copy --from 备份文件 --to postgres://…”放上去。未作任何改动。".into(),
                ));
            };
            // Looked for before the lock: a refused command leaves no `.lock` behind.
            let result = must_exist(path)
                .and_then(|()| backup::backup_exists(&from).map_err(|e| e.to_string()))
                .and_then(|()| writer_lock(path))
                .and_then(|lock| {
                    let mut db = Db::open(path).map_err(|e| e.to_string())?;
                    let restored = db.restore_from(&from).map_err(|e| e.to_string())?;
                    drop(lock);
                    Ok(restored)
                });
            report(
                result
                    .map(|r| {
                        format!(
                            "已从 {} 恢复（{}）。恢复前的数据已另存为 {}",
                            from.display(),
                            r.summary.describe(),
                            r.kept_as.display()
                        )
                    })
                    .map_err(|e| format!("恢复失败：{e}")),
            )
        }
        Some(Command::SetUnit { name }) => report(ledger.write().and_then(|(lock, mut db)| {
            db.set_setting(dangwu::store::settings::UNIT_NAME, &name)
                .map_err(|e| e.to_string())?;
            drop(lock);
            Ok(format!("单位名称已设为“{}”", name.trim()))
        })),
        Some(Command::Backup { to }) => backup_to(ledger.read(), &to),
        Some(Command::Copy { from, to }) => {
            report(copy(&from, &to).map_err(|e| format!("复制失败：{e}")))
        }
        Some(Command::Server {
            what: ServerWhat::Grant { login, org },
        }) => match &ledger {
            Ledger::Server(url) => report(grant(url, &login, org.as_deref())),
            Ledger::File { .. } => report(Err(
                "server 命令须用 --db postgres://… 指明服务器上的台账".into(),
            )),
        },
    }
}

/// Says what a command did (on stdout) or why it failed (on stderr), and exits accordingly.
fn report(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(message) => {
            say!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// The ledger `--db` names: a data file, or a ledger on a server.
enum Ledger {
    File { path: PathBuf, named: bool },
    Server(String),
}

impl Ledger {
    /// For the commands that only read: a file is read as it lies (an older one through a
    /// migrated copy in memory) and never created; on a server nothing is written or created.
    fn read(&self) -> Result<Db, String> {
        match self {
            Ledger::File { path, .. } => open_for_reading(path),
            Ledger::Server(url) => connect(url, true),
        }
    }

    /// For a command that writes to a ledger that exists: a file under the writer's lock.
    fn write(&self) -> Result<(Option<dangwu::store::lock::WriterLock>, Db), String> {
        match self {
            Ledger::File { path, .. } => {
                must_exist(path)?;
                let lock = writer_lock(path)?;
                Ok((lock, Db::open(path).map_err(|e| e.to_string())?))
            }
            Ledger::Server(url) => Ok((None, connect(url, false)?)),
        }
    }
}

/// `backup --to FILE`: the checked backup of a file or a server ledger.
fn backup_to(opened: Result<Db, String>, to: &std::path::Path) -> ExitCode {
    {
        {
            if to.exists() {
                tell!("“{}”已存在，为免覆盖，请换一个文件名", to.display());
                return ExitCode::FAILURE;
            }
            let result = opened.and_then(|db| db.backup_to(to).map_err(|e| e.to_string()));
            match result {
                Ok(summary) => {
                    say!("已备份到 {}（{}）", to.display(), summary.describe());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    tell!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// The files `tally` writes besides what it prints.
struct Outputs {
    pdf: Option<PathBuf>,
    docx: Option<PathBuf>,
}

/// Prints the tally of `year`. Reads only: a missing file is reported, not created.
fn tally(
    opened: Result<Db, String>,
    year: i32,
    as_of: Option<&str>,
    org: Option<&str>,
    format: Format,
    outputs: Outputs,
) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    let result = opened.and_then(|db| {
        let scope = dangwu::tally::resolve_scope(&db, year, as_of, org, today)?;
        if let Some(file) = &outputs.docx {
            let draft = dangwu::print::documents::from_store::summary(&db, &scope, today)
                .map_err(|e| e.to_string())?;
            dangwu::print::docx::write(&draft, &dangwu::print::docx::DocFonts::this_pc(), file)?;
            tell!("已生成总结初稿 {}", file.display());
        }
        if let Some(file) = &outputs.pdf {
            let doc = dangwu::print::documents::from_store::tally(&db, &scope, today)
                .map_err(|e| e.to_string())?;
            let out = dangwu::print::write(&doc, &dangwu::print::PrintFonts::system(), file)?;
            tell!("已打印到 {}（{} 页）", file.display(), out.pages);
        }
        dangwu::tally::compute(&db, &scope).map_err(|e| e.to_string())
    });
    match result {
        Ok(t) => {
            match format {
                Format::Text => out(&dangwu::tally::report::text(&t, today)),
                Format::Json => match serde_json::to_string_pretty(&t) {
                    Ok(json) => say!("{json}"),
                    Err(e) => {
                        tell!("{e}");
                        return ExitCode::FAILURE;
                    }
                },
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{e}");
            ExitCode::from(2)
        }
    }
}

/// `dangwu import`: all or nothing, into a data file that exists (or one made for it with
/// `--create`); a dry run writes nothing. Exits non-zero when nothing was written although that
/// was asked for.
fn import(
    path: &std::path::Path,
    file: &std::path::Path,
    dry_run: bool,
    create: bool,
    org: Option<String>,
) -> ExitCode {
    use dangwu::workbook;
    if !path.exists() && !create && !dry_run {
        tell!(
            "找不到数据文件“{}”。如要导入到一个新的数据文件，请加 --create；如是路径写错，请改正后重试。未写入任何内容。",
            path.display()
        );
        return ExitCode::FAILURE;
    }
    let book = match workbook::Book::open(file) {
        Ok(b) => b,
        Err(e) => {
            tell!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let lock = if dry_run { Ok(None) } else { writer_lock(path) };
    let opened = lock.and_then(|lock| {
        let db = if dry_run && !path.exists() {
            Db::open_in_memory().map_err(|e| e.to_string())?
        } else {
            Db::open(path).map_err(|e| e.to_string())?
        };
        Ok((lock, db))
    });
    let (_lock, mut db) = match opened {
        Ok(x) => x,
        Err(e) => {
            tell!("{e}");
            return ExitCode::FAILURE;
        }
    };
    import_into(&mut db, book, file, dry_run, org)
}

/// Imports `book` into `db` (all or nothing; a dry run writes nothing) and reports.
fn import_into(
    db: &mut Db,
    book: dangwu::workbook::Book,
    file: &std::path::Path,
    dry_run: bool,
    org: Option<String>,
) -> ExitCode {
    use dangwu::workbook;
    let today = chrono::Local::now().date_naive();
    let options = workbook::import::Options {
        dry_run,
        orgs: org.into_iter().map(|o| (String::new(), o)).collect(),
        ..Default::default()
    };
    let report = workbook::import::import_with(db, book, &options, today);
    // How each sheet was read (those left out are among the 提示).
    for r in report.readings.iter().filter(|r| r.reading.kind.is_some()) {
        tell!("{}", r.describe());
    }
    for w in &report.warnings {
        tell!("提示：{w}");
    }
    if !report.errors.is_empty() {
        for e in &report.errors {
            tell!("{e}");
        }
        tell!("共 {} 处错误，未导入任何内容。", report.errors.len());
        return ExitCode::FAILURE;
    }
    if let Some(failure) = &report.failure {
        tell!("{failure}");
        return ExitCode::FAILURE;
    }
    say!("{}", report.summary());
    if report.written {
        say!("已导入 {}", file.display());
    } else {
        say!("（试导入，未写入）");
    }
    ExitCode::SUCCESS
}

fn writer_lock(path: &std::path::Path) -> Result<Option<dangwu::store::lock::WriterLock>, String> {
    use dangwu::store::lock;
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        // A new file in a new folder (demo-data): nobody can hold it.
        return Ok(None);
    }
    match lock::acquire(path) {
        Ok(Some(l)) => Ok(Some(l)),
        Ok(None) => Err(lock::HELD.to_string()),
        Err(e) => Err(format!("无法锁定数据文件：{e}")),
    }
}

/// The commands other than `demo-data` and `import --create` never create a data file.
fn must_exist(path: &std::path::Path) -> Result<(), String> {
    if path.is_file() {
        Ok(())
    } else {
        Err(format!(
            "找不到数据文件“{}”：请检查 --db 的路径",
            path.display()
        ))
    }
}

/// For the commands that only read: an older file is read through a migrated copy in memory and
/// left exactly as it was.
fn open_for_reading(path: &std::path::Path) -> Result<Db, String> {
    must_exist(path)?;
    Db::open_for_reading(path).map_err(|e| e.to_string())
}

fn print(opened: Result<Db, String>, what: PrintWhat) -> ExitCode {
    use dangwu::print::documents::from_store;
    let today = chrono::Local::now().date_naive();
    let fonts = dangwu::print::PrintFonts::system();
    let result = opened.and_then(|db| match what {
        PrintWhat::Activity { id, pdf } => {
            let found = from_store::activity_id(&db, &id).map_err(|e| e.to_string())?;
            let id = found.ok_or_else(|| format!("找不到编号或 uid 为“{id}”的活动记录"))?;
            let (minutes, sign_in) =
                from_store::activity(&db, id, today).map_err(|e| e.to_string())?;
            let sheet = dangwu::print::sibling(&pdf, "签到表");
            dangwu::print::write(&minutes, &fonts, &pdf)?;
            dangwu::print::write(&sign_in, &fonts, &sheet)?;
            Ok(format!(
                "已打印会议记录 {} 和签到表 {}",
                pdf.display(),
                sheet.display()
            ))
        }
        PrintWhat::Dues { org, year, pdf } => {
            let scope = dangwu::tally::resolve_scope(&db, year, None, Some(&org), today)?;
            let org = scope.org.ok_or("请用 --org 指定党组织")?;
            let doc = from_store::dues(&db, org, year, today).map_err(|e| e.to_string())?;
            let out = dangwu::print::write(&doc, &fonts, &pdf)?;
            Ok(format!("已打印到 {}（{} 页）", pdf.display(), out.pages))
        }
        PrintWhat::Rectification { pdf } => {
            let items = from_store::live_items(&db).map_err(|e| e.to_string())?;
            let doc = from_store::rectification(&db, &items, "全部问题（不含已作废）", today)
                .map_err(|e| e.to_string())?;
            let out = dangwu::print::write(&doc, &fonts, &pdf)?;
            Ok(format!("已打印到 {}（{} 页）", pdf.display(), out.pages))
        }
    });
    report(result)
}

/// With `windows_subsystem = "windows"` a command typed in a console would print nothing; attach to
/// the console we were started from, if any, so `dangwu backup …` still reports.
#[cfg(all(windows, not(debug_assertions)))]
fn attach_console() {
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
    }
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    // SAFETY: AttachConsole takes a plain integer and has no memory effects on our side.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}

#[cfg(not(all(windows, not(debug_assertions))))]
fn attach_console() {}

/// `export FILE`: the whole ledger (or a year of it) as a workbook.
fn export(opened: Result<Db, String>, file: &std::path::Path, year: Option<i32>) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    match opened.and_then(|db| dangwu::workbook::export::export(&db, file, year, today)) {
        Ok(summary) => {
            let counts: Vec<String> = summary.iter().map(|(s, n)| format!("{s} {n} 行")).collect();
            say!("已导出到 {}：{}", file.display(), counts.join("，"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// `demo-data`: a simulated bureau written into an empty ledger.
fn demo(mut db: Db, options: &dangwu::demo::DemoOptions, started: std::time::Instant) -> ExitCode {
    match dangwu::demo::fill(&mut db, options) {
        Ok(s) => {
            say!(
                "已写入 {}：{} 个组织，{} 名党员，{} 条活动记录，{} 条出席记录，{} 次谈话，{} 个整改问题，\
                 {} 条组织关系转接，{} 条党费记录，{} 条表彰、慰问和评议记录（用时 {:.1} 秒）",
                db.describe(),
                s.orgs,
                s.members,
                s.activities,
                s.attendance,
                s.talks,
                s.rectification,
                s.transfers,
                s.dues,
                s.events,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            tell!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Connects to a server ledger; when the server asks for a password nobody gave, asks for it
/// on the terminal (never echoed, never kept).
fn connect(url: &str, for_reading: bool) -> Result<Db, String> {
    let address = Address::parse(url)?;
    let open = |password: Option<&str>| {
        if for_reading {
            Db::connect_for_reading(&address, password)
        } else {
            Db::connect(&address, password)
        }
        .map_err(|e| e.to_string())
    };
    let known = address.known_password();
    match open(known.as_deref()) {
        Err(e) if known.is_none() && server::wants_password(&e) => {
            let asked = rpassword::prompt_password(format!("{address} 的密码："))
                .map_err(|_| format!("{e}：请设置 PGPASSWORD 或 pgpass 文件"))?;
            open(Some(&asked))
        }
        other => other,
    }
}

/// `server grant`: lets a login use the ledger, limited to an organisation or not.
fn grant(url: &str, login: &str, org: Option<&str>) -> Result<String, String> {
    // The ledger must be there already (its organisations are what a login is limited to).
    let result = connect(url, true).and_then(|db| {
        let today = chrono::Local::now().date_naive();
        let org_id = org
            .map(|name| dangwu::tally::org_named(&db, name, today))
            .transpose()?;
        let password = match std::env::var("DANGWU_NEW_PASSWORD") {
            Ok(p) => Some(p),
            Err(_) if !db.login_exists(login).map_err(|e| e.to_string())? => Some(
                rpassword::prompt_password(format!("新登录名“{login}”的密码："))
                    .map_err(|_| {
                        format!("新建登录名“{login}”需要密码：请在终端上运行以便输入，或用环境变量 DANGWU_NEW_PASSWORD 给出")
                    })?,
            ),
            Err(_) => None,
        };
        db.grant(login, org_id, password.as_deref())
            .map_err(|e| e.to_string())
    });
    result.map(|()| match org {
        Some(o) => format!(
            "登录名“{login}”只能查看和修改“{}”及其下级组织的记录",
            o.trim()
        ),
        None => format!("登录名“{login}”可以查看和修改全部记录"),
    })
}

/// `copy --from … --to …`: a file onto an empty server database, or a server ledger into a new
/// checked file (the same as its backup).
fn copy(from: &str, to: &str) -> Result<String, String> {
    match (server::is_address(from), server::is_address(to)) {
        (false, true) => (|| {
            let path = std::path::Path::new(from);
            must_exist(path)?;
            let source = Db::open_for_reading(path).map_err(|e| e.to_string())?;
            let address = Address::parse(to)?;
            let password = address.known_password();
            let copied = source.copy_to_server(&address, password.as_deref())?;
            let rows: i64 = copied.iter().map(|(_, n)| n).sum();
            Ok(format!(
                "已把 {from} 复制到服务器 {address}（{} 张表，共 {rows} 行）",
                copied.len()
            ))
        })(),
        (true, false) => {
            let dest = std::path::Path::new(to);
            if dest.exists() {
                Err(format!(
                    "“{}”已存在，为免覆盖，请换一个文件名",
                    dest.display()
                ))
            } else {
                connect(from, true).and_then(|db| {
                    let summary = db.backup_to(dest).map_err(|e| e.to_string())?;
                    Ok(format!(
                        "已把服务器上的台账复制到 {}（{}）",
                        dest.display(),
                        summary.describe()
                    ))
                })
            }
        }
        _ => Err("copy 须一端是数据文件、另一端是 postgres://… 服务器地址".to_string()),
    }
}
