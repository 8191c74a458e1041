//! The Excel workbook of `../shared/spec/workbook.md`: the sheets and their columns (with the header
//! spellings staff use), reading any workbook into plain tables, exporting, importing.
//!
//! Reading is calamine (.xlsx, .xls, .ods: what Excel and WPS save); writing is rust_xlsxwriter.

pub mod export;
pub mod import;

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;

/// What a column holds, for the writer's cell type and the reader's parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Month,
    Int,
    Money,
    /// Names separated by 、，,;；.
    List,
}

/// One column of a sheet: its header, the other spellings staff write, and the note the template
/// puts on it.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    pub required: bool,
    pub kind: Kind,
    pub synonyms: &'static [&'static str],
    pub note: &'static str,
}

const fn col(header: &'static str, required: bool, kind: Kind, note: &'static str) -> Col {
    Col {
        header,
        required,
        kind,
        synonyms: &[],
        note,
    }
}

const fn syn(mut c: Col, synonyms: &'static [&'static str]) -> Col {
    c.synonyms = synonyms;
    c
}

/// The two columns that name a member on the sheets of what happens to members.
const PERSON: Col = col("姓名", true, Text, "");
const PERSON_ID: Col = syn(
    col("公民身份号码", false, Text, "同一人以此识别；空白时按姓名"),
    &["身份证号", "身份证号码"],
);

/// One sheet: its name, columns, and the template's example row (same order as the columns).
pub struct Sheet {
    pub name: &'static str,
    pub cols: &'static [Col],
    pub example: &'static [&'static str],
}

use Kind::*;

pub const ORGS: Sheet = Sheet {
    name: "支部",
    cols: &[
        syn(
            col("组织名称", true, Text, "党组织全称，不能重名"),
            &["党组织名称", "支部名称", "名称"],
        ),
        col(
            "组织类别",
            false,
            Text,
            "党组 / 党委 / 党总支 / 党支部，空白为党支部",
        ),
        col("上级组织", false, Text, "上级党组织的名称"),
        syn(col("书记", false, Text, "书记姓名"), &["支部书记"]),
        col("成立日期", false, Date, "日期，如 2001-07-01"),
        syn(
            col("本届任期开始", false, Date, "本届委员会选举日期"),
            &["换届日期", "本届换届日期"],
        ),
        col("任期年限", false, Int, "整数，空白为3"),
        col("撤销日期", false, Date, "合并或撤销的日期；存续中空白"),
        col("备注", false, Text, ""),
    ],
    example: &[
        "【示例】机关第一党支部",
        "党支部",
        "机关党委",
        "张三",
        "2001-07-01",
        "2024-03-15",
        "3",
        "",
        "",
    ],
};

pub const MEMBERS: Sheet = Sheet {
    name: "党员",
    cols: &[
        col("姓名", true, Text, ""),
        col("性别", false, Text, "男 / 女"),
        col("民族", false, Text, ""),
        col("出生日期", false, Date, "日期；填写身份号码时可空"),
        syn(
            col(
                "公民身份号码",
                false,
                Text,
                "18位，末位可为X；同一人以此识别",
            ),
            &["身份证号", "身份证号码", "身份证"],
        ),
        col("学历", false, Text, ""),
        syn(
            col(
                "所在支部",
                true,
                Text,
                "党组织名称（须在“支部”表或系统中已有）",
            ),
            &["所在党支部", "支部", "所在组织", "党组织"],
        ),
        syn(
            col(
                "人员类别",
                true,
                Text,
                "入党申请人 / 入党积极分子 / 发展对象 / 预备党员 / 正式党员",
            ),
            &["类别", "党员类别"],
        ),
        syn(col("申请入党日期", false, Date, ""), &["申请入党时间"]),
        syn(
            col("确定积极分子日期", false, Date, ""),
            &["确定为积极分子日期", "确定入党积极分子日期"],
        ),
        syn(
            col("确定发展对象日期", false, Date, ""),
            &["确定为发展对象日期"],
        ),
        syn(
            col("接收预备党员日期", false, Date, "支部大会通过的日期"),
            &["入党时间", "入党日期", "接收为预备党员日期"],
        ),
        syn(
            col("转正日期", false, Date, ""),
            &["转正时间", "转为正式党员日期"],
        ),
        col("党内职务", false, Text, ""),
        syn(
            col("联系电话", false, Text, ""),
            &["电话", "手机", "手机号码", "联系方式"],
        ),
        col(
            "状态",
            false,
            Text,
            "在册 / 转出 / 去世 / 出党，空白为在册；转出请在“组织关系”表登记",
        ),
        col("状态变更日期", false, Date, "去世、出党的日期"),
        col("职务", false, Text, "工作职务"),
        col("入党介绍人", false, List, "两名正式党员，用“、”分隔"),
        col("备注", false, Text, ""),
    ],
    example: &[
        "【示例】张三",
        "男",
        "汉族",
        "1980-05-01",
        "",
        "大学本科",
        "机关第一党支部",
        "正式党员",
        "2003-03-01",
        "2003-09-01",
        "2004-09-01",
        "2005-06-20",
        "2006-06-20",
        "组织委员",
        "13800000000",
        "在册",
        "",
        "科员",
        "李四、王五",
        "",
    ],
};

pub const TRANSFERS: Sheet = Sheet {
    name: "组织关系",
    cols: &[
        PERSON,
        PERSON_ID,
        syn(
            col("转接类型", true, Text, "转入 / 转出 / 本单位内转接"),
            &["类型", "转接类别"],
        ),
        syn(col("日期", true, Date, "转接日期"), &["转接日期"]),
        col(
            "对方组织",
            false,
            Text,
            "本单位以外的党组织（转入时为原组织，转出时为转往组织）",
        ),
        col(
            "原组织",
            false,
            Text,
            "本单位的党组织：转出或本单位内转接时离开的组织",
        ),
        col(
            "新组织",
            false,
            Text,
            "本单位的党组织：转入或本单位内转接时进入的组织",
        ),
        col("备注", false, Text, ""),
    ],
    example: &[
        "【示例】张三",
        "",
        "转出",
        "2022-04-20",
        "省民政厅机关党委",
        "机关第一党支部",
        "",
        "",
    ],
};

pub const DUES: Sheet = Sheet {
    name: "党费",
    cols: &[
        PERSON,
        PERSON_ID,
        syn(
            col("月份", true, Month, "如 2022-03 或 2022年3月"),
            &["缴费月份", "所属月份"],
        ),
        syn(
            col("缴费基数", false, Money, "元，月工资基数"),
            &["基数", "工资基数"],
        ),
        col("比例", false, Text, "百分数，如 1.5；定额缴纳填 定额"),
        syn(
            col("金额", true, Money, "元，最多两位小数"),
            &["缴纳金额", "党费金额"],
        ),
        col("缴纳日期", false, Date, ""),
        col("缴纳类别", false, Text, "在职 / 离退休 / 定额，空白为在职"),
    ],
    example: &[
        "【示例】张三",
        "",
        "2022-03",
        "5000",
        "1",
        "50",
        "2022-03-10",
        "在职",
    ],
};

pub const EVENTS: Sheet = Sheet {
    name: "表彰慰问",
    cols: &[
        PERSON,
        PERSON_ID,
        syn(col("类型", true, Text, "表彰 / 慰问 / 民主评议"), &["类别"]),
        col("日期", true, Date, ""),
        syn(
            col("内容", false, Text, "表彰名称或慰问内容"),
            &["表彰名称", "慰问内容"],
        ),
        col("评议年度", false, Int, "民主评议的年度"),
        col("评议结果", false, Text, "优秀 / 合格 / 基本合格 / 不合格"),
    ],
    example: &[
        "【示例】张三",
        "",
        "表彰",
        "2022-06-30",
        "优秀共产党员",
        "",
        "",
    ],
};

pub const ACTIVITIES: Sheet = Sheet {
    name: "活动",
    cols: &[
        syn(
            col("日期", true, Date, ""),
            &["活动日期", "会议日期", "时间"],
        ),
        syn(
            col("组织", true, Text, "党组织名称"),
            &["党组织", "所在组织", "支部"],
        ),
        syn(
            col(
                "类型",
                true,
                List,
                "一种或多种活动类型，用“、”分隔，如 党员大会、主题党日",
            ),
            &["活动类型", "会议类型"],
        ),
        syn(
            col("主题", true, Text, ""),
            &["活动主题", "会议主题", "学习主题"],
        ),
        col("主持人", false, Text, ""),
        col("主讲人", false, Text, ""),
        col("地点", false, Text, ""),
        col("应到人数", false, Int, "整数"),
        col("实到人数", false, Int, "整数；填了参加人员时可空"),
        syn(
            col("参加人员", false, List, "姓名，用“、”分隔"),
            &["出席人员", "参会人员"],
        ),
        col(
            "缺席人员",
            false,
            List,
            "姓名，可在括号中注明事由：张三（出差）",
        ),
        syn(col("内容摘要", false, Text, ""), &["学习内容", "会议内容"]),
        col(
            "所属年度",
            false,
            Int,
            "组织生活会、民主评议党员、民主生活会所属的年度",
        ),
        col("备注", false, Text, ""),
    ],
    example: &[
        "【示例】2022-03-20",
        "机关第一党支部",
        "党员大会、主题党日",
        "学习党的二十大精神",
        "张三",
        "",
        "会议室",
        "",
        "",
        "张三、李四",
        "王五（出差）",
        "",
        "",
        "",
    ],
};

pub const TALKS: Sheet = Sheet {
    name: "谈话",
    cols: &[
        syn(col("日期", true, Date, ""), &["谈话日期"]),
        syn(
            col("类型", true, Text, "谈话类型，如 日常谈话、提醒谈话"),
            &["谈话类型"],
        ),
        col("形式", false, Text, "个别 / 集体，空白为个别"),
        col("谈话人", true, List, ""),
        col("谈话对象", false, List, "姓名，用“、”分隔"),
        col("对象人数", false, Int, "集体谈话未列姓名时填人数"),
        col("所属组织", false, Text, "空白为最上级组织"),
        col("地点", false, Text, ""),
        syn(col("内容摘要", false, Text, ""), &["谈话内容"]),
        col("备注", false, Text, "谈话事由"),
    ],
    example: &[
        "【示例】2022-03-01",
        "日常谈话",
        "个别",
        "王书记",
        "张三",
        "",
        "",
        "会议室",
        "提醒严守纪律规矩",
        "",
    ],
};

pub const RECTIFY: Sheet = Sheet {
    name: "整改",
    cols: &[
        col(
            "问题来源",
            true,
            Text,
            "民主生活会 / 组织生活会 / 巡察 / 督查检查 / 审计 / 上级反馈 / 自查 / 其他",
        ),
        col("发现日期", true, Date, ""),
        col("问题描述", true, Text, ""),
        col("问题类别", false, Text, ""),
        col("责任单位", false, Text, ""),
        col("所属组织", false, Text, "空白为最上级组织"),
        col("责任人", false, Text, ""),
        col("整改措施", false, Text, ""),
        col("整改时限", false, Date, ""),
        col(
            "状态",
            false,
            Text,
            "未整改 / 整改中 / 已销号，空白为未整改",
        ),
        col("完成日期", false, Date, "状态为已销号时必填"),
        col("整改成效", false, Text, ""),
        col("验收人", false, Text, ""),
    ],
    example: &[
        "【示例】自查",
        "2022-02-01",
        "台账记录不规范",
        "党建工作",
        "办公室",
        "",
        "张三",
        "统一台账格式",
        "2022-05-01",
        "未整改",
        "",
        "",
        "",
    ],
};

/// Every sheet, in the order import reads them (branches before members before what names them).
pub const SHEETS: [&Sheet; 8] = [
    &ORGS,
    &MEMBERS,
    &TRANSFERS,
    &DUES,
    &EVENTS,
    &ACTIVITIES,
    &TALKS,
    &RECTIFY,
];

/// Marks the template's example rows (skipped on import).
pub const EXAMPLE_MARK: &str = "【示例】";

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    /// As text, the way a user would read it in the cell.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => format!("{n}"),
            Value::Date(d) => crate::model::date::iso(*d),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet read: row 0 is the header row. Row numbers in messages are Excel's (index + 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
}

/// More rows with content than any bureau has: refused rather than read into memory.
const MAX_ROWS: usize = 500_000;

/// Excel's serial day 0 (with its 1900 leap-year bug, serials from 61 on count from here).
fn serial_date(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (1.0..2_958_466.0)
        .contains(&serial)
        .then(|| base + chrono::Duration::days(serial.floor() as i64))
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Empty | Data::Error(_) => Value::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(dt) => serial_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
    }
}

fn from_ref(d: &DataRef) -> Value {
    match d {
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Value::Text(s.clone())
        }
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
        DataRef::Error(_) | DataRef::Empty => Value::Empty,
    }
}

/// Reads every sheet of a workbook (.xlsx, .xls, .ods) into tables of the cells that hold
/// something. A file that is not a workbook, or is damaged, is said so in Chinese.
pub fn read(path: &Path) -> Result<Vec<Table>, String> {
    let name = path.display();
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        format!(
            "无法读取 {name}：不是 Excel / WPS 工作簿（.xlsx、.xls、.ods），或文件已损坏（{e}）"
        )
    })?;
    let sheets = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for sheet in sheets {
        let mut cells: HashMap<u32, Vec<(u32, Value)>> = HashMap::new();
        let damaged =
            |e: &dyn std::fmt::Display| format!("工作表“{sheet}”无法读取，文件可能已损坏（{e}）");
        match &mut book {
            // Only the cells that hold something: a sheet of a million formatted empty rows is
            // read as what it is, empty.
            calamine::Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&sheet).map_err(|e| damaged(&e))?;
                let mut count = 0_usize;
                while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
                    let v = from_ref(cell.get_value());
                    if v.is_empty() {
                        continue;
                    }
                    let (r, c) = cell.get_position();
                    cells.entry(r).or_default().push((c, v));
                    count += 1;
                    if cells.len() > MAX_ROWS || count > MAX_ROWS * 40 {
                        return Err(format!(
                            "工作表“{sheet}”超过 {MAX_ROWS} 行，不像台账，未导入"
                        ));
                    }
                }
            }
            other => {
                let range = other.worksheet_range(&sheet).map_err(|e| damaged(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, row) in range.rows().enumerate() {
                    for (c, d) in row.iter().enumerate() {
                        let v = from_data(d);
                        if !v.is_empty() {
                            cells
                                .entry(r0 + r as u32)
                                .or_default()
                                .push((c0 + c as u32, v));
                        }
                    }
                    if cells.len() > MAX_ROWS {
                        return Err(format!(
                            "工作表“{sheet}”超过 {MAX_ROWS} 行，不像台账，未导入"
                        ));
                    }
                }
            }
        }
        let last = cells.keys().copied().max().map_or(0, |r| r as usize + 1);
        let mut rows = vec![Vec::new(); last];
        for (r, mut row) in cells {
            row.sort_by_key(|(c, _)| *c);
            let width = row.last().map_or(0, |(c, _)| *c as usize + 1);
            let mut dense = vec![Value::Empty; width];
            for (c, v) in row {
                dense[c as usize] = v;
            }
            rows[r as usize] = dense;
        }
        out.push(Table { name: sheet, rows });
    }
    Ok(out)
}

/// The position of each of `sheet`'s columns in `headers`, by header or synonym (ignoring `*`,
/// spaces and full-width brackets), and the headers that match nothing.
pub fn header_map(sheet: &Sheet, headers: &[Value]) -> (HashMap<&'static str, usize>, Vec<String>) {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '*' | '＊' | ' ' | '　' | '\n'))
            .collect()
    };
    let mut found = HashMap::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let text = clean(&h.text());
        if text.is_empty() {
            continue;
        }
        match sheet
            .cols
            .iter()
            .find(|c| c.header == text || c.synonyms.contains(&text.as_str()))
        {
            Some(c) => {
                found.entry(c.header).or_insert(i);
            }
            None => ignored.push(text),
        }
    }
    (found, ignored)
}
