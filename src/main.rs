// A release build on Windows opens no console window behind the app.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dangwu::store::Db;

/// 党务台账：党组和党支部的党务记录与年度统计。不带子命令时打开窗口。
#[derive(Parser)]
#[command(name = "dangwu", version)]
struct Cli {
    /// 数据文件（默认在用户数据目录下的 dangwu/dangwu.sqlite）
    #[arg(long, global = true, value_name = "FILE")]
    db: Option<PathBuf>,
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
    },
    /// 把数据文件备份到指定位置（SQLite 在线备份，打开中的文件也可以备份）
    Backup {
        /// 备份文件的路径（不能是已存在的文件）
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
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
    },
}

fn main() -> ExitCode {
    attach_console();
    let cli = Cli::parse();
    let path = cli.db.unwrap_or_else(dangwu::paths::default_db_path);
    match cli.command {
        None => match dangwu::ui::run(path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("无法打开窗口：{e}");
                ExitCode::FAILURE
            }
        },
        Some(Command::DemoData {
            years,
            members,
            records,
        }) => {
            let options = dangwu::demo::DemoOptions {
                years,
                members,
                records,
                today: chrono::Local::now().date_naive(),
            };
            let started = std::time::Instant::now();
            let result = Db::open(&path)
                .map_err(|e| e.to_string())
                .and_then(|mut db| {
                    dangwu::demo::fill(&mut db, &options).map_err(|e| e.to_string())
                });
            match result {
                Ok(s) => {
                    println!(
                        "已写入 {}：{} 个组织，{} 名党员，{} 条活动记录，{} 条出席记录，{} 次谈话，{} 个整改问题（用时 {:.1} 秒）",
                        path.display(),
                        s.orgs,
                        s.members,
                        s.activities,
                        s.attendance,
                        s.talks,
                        s.rectification,
                        started.elapsed().as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Tally {
            year,
            as_of,
            org,
            format,
        }) => tally(&path, year, as_of.as_deref(), org.as_deref(), format),
        Some(Command::Backup { to }) => {
            if to.exists() {
                eprintln!("“{}”已存在，为免覆盖，请换一个文件名", to.display());
                return ExitCode::FAILURE;
            }
            let result = Db::open(&path)
                .map_err(|e| e.to_string())
                .and_then(|db| db.backup_to(&to).map_err(|e| e.to_string()));
            match result {
                Ok(()) => {
                    println!("已备份到 {}", to.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Prints the tally of `year`. Reads only: a missing file is reported, not created.
fn tally(
    path: &std::path::Path,
    year: i32,
    as_of: Option<&str>,
    org: Option<&str>,
    format: Format,
) -> ExitCode {
    if !path.exists() {
        eprintln!("找不到数据文件“{}”", path.display());
        return ExitCode::FAILURE;
    }
    let today = chrono::Local::now().date_naive();
    let result = Db::open(path).map_err(|e| e.to_string()).and_then(|db| {
        let scope = dangwu::tally::resolve_scope(&db, year, as_of, org, today)?;
        dangwu::tally::compute(&db, &scope).map_err(|e| e.to_string())
    });
    match result {
        Ok(t) => {
            match format {
                Format::Text => print!("{}", dangwu::tally::report::text(&t, today)),
                Format::Json => match serde_json::to_string_pretty(&t) {
                    Ok(json) => println!("{json}"),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::FAILURE;
                    }
                },
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
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
