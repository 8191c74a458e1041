//! Tab 谈话: the year's counts by kind and 人次, the list, and the form. What was said stays folded
//! away until the user opens it: talks are sensitive and a visitor may be looking at the screen.

use chrono::Datelike;
use egui::{Id, RichText, TextEdit, Ui};
use egui_extras::Column;

use super::action::{Action, Done, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::widgets::prose::prose;
use super::widgets::settings::{SettingRow, SettingsDialog, SettingsEvent};
use super::widgets::table::{Sort, record_table};

/// The columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum SortKey {
    Date,
    Kind,
    Talkers,
    Subjects,
}

/// What a view of the list was made for: the rows read (data generation, year), the filter and
/// the sort.
type ViewKey = (Option<(u64, Option<i32>)>, ListFilter, Sort<SortKey>);

/// What the list is narrowed to besides the year.
#[derive(Debug, Clone, Default, PartialEq)]
struct ListFilter {
    search: String,
    kind: Option<i64>,
    org: Option<i64>,
}
use super::{AppCtx, Page};
use crate::model::FieldErrors;
use crate::model::date;
use crate::model::talk::{Talk, TalkField as F, TalkForm, TalkInput, TalkKind};
use crate::store::StoreError;
use crate::tally::{self, TalkFigures, report};

/// What the form shows beside the draft: reloaded each time a record opens.
#[derive(Default)]
struct FormState {
    /// Members to pick 谈话对象 from: (id, name, organisation).
    candidates: Vec<(i64, String, String)>,
    search: String,
    show_content: bool,
}

pub struct TalksTab {
    year: Option<i32>,
    rows: Vec<Talk>,
    /// The year's figures, by the tally's definition.
    figures: Option<TalkFigures>,
    kinds: Vec<TalkKind>,
    loaded_for: Option<(u64, Option<i32>)>,
    editor: Editor<TalkInput>,
    state: FormState,
    kinds_dialog: Option<SettingsDialog<TalkKind>>,
    filter: ListFilter,
    sort: Sort<SortKey>,
    /// Indices into `rows` as filtered and sorted, for the data, year, filter and sort they were
    /// made for (made once, not per frame).
    view: Vec<usize>,
    view_for: Option<ViewKey>,
    /// The text of each row, parallel to `rows`, made when they are read (not per frame).
    lines: Vec<TalkLine>,
}

struct TalkLine {
    date: String,
    count: String,
    subjects: String,
}

impl Default for TalksTab {
    fn default() -> Self {
        Self {
            year: None,
            rows: Vec::new(),
            figures: None,
            kinds: Vec::new(),
            loaded_for: None,
            editor: Editor::new("talk_discard"),
            state: FormState::default(),
            kinds_dialog: None,
            filter: ListFilter::default(),
            sort: Sort {
                key: SortKey::Date,
                ascending: false,
            },
            view: Vec::new(),
            lines: Vec::new(),
            view_for: None,
        }
    }
}

impl SettingRow for TalkKind {
    const HEADERS: &'static [&'static str] = &["名称", "停用"];

    fn blank() -> Self {
        TalkKind {
            id: None,
            uid: String::new(),
            label: String::new(),
            builtin: false,
            hidden: false,
        }
    }

    fn cells(&mut self, ui: &mut Ui, _index: usize, headers: &[Id]) {
        ui.add(TextEdit::singleline(&mut self.label).desired_width(200.0))
            .labelled_by(headers[0]);
        ui.checkbox(&mut self.hidden, "").labelled_by(headers[1]);
    }
}

impl Page for TalksTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        if self.loaded_for.is_none() {
            self.year = Some(ctx.today.year());
        }
        self.load(ctx);
        let mut asked = None;
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 登记谈话").strong()).clicked() {
                asked = Some(Next::New);
            }
            ui.separator();
            let years: Vec<(i32, String)> = (ctx.today.year() - 9..=ctx.today.year())
                .rev()
                .map(|y| (y, format!("{y}年")))
                .collect();
            form::filter_choice(
                ui,
                "年份",
                "talk_year",
                &mut self.year,
                &years,
                "全部年份",
                100.0,
            );
            let kinds: Vec<(i64, String)> = self
                .kinds
                .iter()
                .filter_map(|k| Some((k.id?, k.label.clone())))
                .collect();
            form::filter_choice(
                ui,
                "类型",
                "talk_kind_filter",
                &mut self.filter.kind,
                &kinds,
                "全部类型",
                120.0,
            );
            form::filter_choice(
                ui,
                "组织",
                "talk_org_filter",
                &mut self.filter.org,
                ctx.org_options(),
                "全部组织",
                150.0,
            );
            form::filter_text(
                ui,
                "搜索",
                &mut self.filter.search,
                "谈话人或谈话对象",
                120.0,
            );
            if ui
                .button("导出当前列表…")
                .on_hover_text("把当前列表导出为 Excel 工作簿")
                .clicked()
            {
                action = Some(Action::ExportList {
                    sheet: crate::workbook::SheetKind::Talks.name(),
                    ids: self
                        .view
                        .iter()
                        .filter_map(|&i| self.rows.get(i)?.id)
                        .collect(),
                    name: "谈话记录".into(),
                });
            }
            if ui.button("谈话类型设置…").clicked() {
                self.kinds_dialog = Some(SettingsDialog::new(
                    "谈话类型设置",
                    "可按本单位习惯改名；停用的类型不再供选择，已有记录不受影响。类型不能删除。",
                    self.kinds.clone(),
                ));
            }
        });
        ui.separator();
        self.summary(ui);
        if self.editor.form().is_some() {
            egui::Panel::right("talk_form")
                .resizable(true)
                .default_size(500.0)
                .min_size(380.0)
                .show(ui, |ui| {
                    match form_ui(
                        ui,
                        &mut self.editor,
                        &mut self.state,
                        &self.kinds,
                        ctx.org_options(),
                    ) {
                        Some(FormAction::Save) => action = self.editor.save(ctx),
                        Some(FormAction::Cancel) => asked = Some(Next::Close),
                        None => {}
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(id) = self.table(ui, ctx) {
                asked = Some(Next::Edit(id));
            }
        });
        if self.editor.follow(ui.ctx(), asked, ctx) {
            self.opened(ctx);
        }
        if let Some(dialog) = &mut self.kinds_dialog {
            match dialog.show(ui.ctx()) {
                Some(SettingsEvent::Save(rows)) => {
                    action = Some(Action::Write(Write::TalkKinds(rows)))
                }
                Some(SettingsEvent::Close) => self.kinds_dialog = None,
                None => {}
            }
        }
        action
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        if let Some(opened) = self.editor.answered(&done, ctx) {
            if opened {
                self.opened(ctx);
            }
            return;
        }
        match (done.write, done.result) {
            (Write::TalkKinds(rows), Ok(_)) => {
                ctx.toasts
                    .success(format!("已保存{}项谈话类型设置", rows.len()));
                self.kinds_dialog = None;
            }
            (Write::TalkKinds(_), Err(e)) => {
                if let Some(dialog) = &mut self.kinds_dialog {
                    dialog.refused(&e);
                }
            }
            _ => {}
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }
}

impl TalksTab {
    fn load(&mut self, ctx: &mut AppCtx) {
        let key = (ctx.db.generation(), self.year);
        if self.loaded_for == Some(key) {
            return;
        }
        match (ctx.db.talks(self.year), ctx.db.talk_kinds()) {
            (Ok(rows), Ok(kinds)) => {
                self.figures = self.year.map(|_| tally::talk_figures(&kinds, &rows));
                self.lines = rows
                    .iter()
                    .map(|t| TalkLine {
                        date: date::iso(t.date),
                        count: t.subject_count().to_string(),
                        subjects: t.subjects_text(),
                    })
                    .collect();
                self.rows = rows;
                self.kinds = kinds;
            }
            (Err(e), _) | (_, Err(e)) => ctx.toasts.error(format!("读取谈话记录失败：{e}")),
        }
        self.loaded_for = Some(key);
    }

    /// The year's sentence, as the year-end report phrases it (`tally::report`).
    fn summary(&self, ui: &mut Ui) {
        match (self.year, &self.figures) {
            (Some(year), Some(figures)) => {
                prose(ui, &report::talk_sentence(year, figures), true);
            }
            _ => {
                ui.label(format!("全部年份共 {} 次谈话", self.rows.len()));
            }
        }
    }

    fn kind_label(&self, id: i64) -> &str {
        self.kinds
            .iter()
            .find(|k| k.id == Some(id))
            .map(|k| k.label.as_str())
            .unwrap_or("？")
    }

    /// The rows shown: filtered and sorted when the data, year, filter or sort changed.
    fn update_view(&mut self, ctx: &AppCtx) {
        let key = (self.loaded_for, self.filter.clone(), self.sort);
        if self.view_for.as_ref() == Some(&key) {
            return;
        }
        let orgs = self
            .filter
            .org
            .map(|id| crate::model::org::with_descendants(&ctx.orgs.list, id));
        let needle = self.filter.search.trim();
        let mut view: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let t = &self.rows[i];
                self.filter.kind.is_none_or(|k| k == t.kind_id)
                    && orgs
                        .as_ref()
                        .is_none_or(|s| t.org_id.is_some_and(|o| s.contains(&o)))
                    && (needle.is_empty()
                        || t.talkers.contains(needle)
                        || t.subjects_text().contains(needle))
            })
            .collect();
        let (rows, sort) = (&self.rows, self.sort);
        view.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            let order = match sort.key {
                SortKey::Date => a.date.cmp(&b.date),
                SortKey::Kind => a.kind_id.cmp(&b.kind_id),
                SortKey::Talkers => a.talkers.cmp(&b.talkers),
                SortKey::Subjects => a.subject_count().cmp(&b.subject_count()),
            };
            sort.apply(order.then_with(|| b.date.cmp(&a.date)))
        });
        self.view = view;
        self.view_for = Some(key);
    }

    fn table(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<i64> {
        if self.rows.is_empty() {
            ui.add_space(20.0);
            ui.label("没有谈话记录。点击“＋ 登记谈话”登记一次谈话。");
            return None;
        }
        if self.view_for.is_none() {
            self.sort = self.sort.remembered(ui.ctx(), "talks");
        }
        self.update_view(ctx);
        if self.view.len() != self.rows.len() {
            ui.label(format!("筛选后 {} 次", self.view.len()));
        }
        let selected = self.editor.form().and_then(|f| f.draft.id);
        let mut clicked = None;
        let mut sort = self.sort;
        record_table(ui, "talk_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(110.0).clip(true))
                .column(Column::initial(44.0))
                .column(Column::initial(120.0).clip(true))
                .column(Column::initial(60.0))
                .column(Column::remainder().at_least(120.0).clip(true))
                .header(28.0, |mut h| {
                    h.col(|ui| {
                        sort.header(ui, "日期", SortKey::Date);
                    });
                    h.col(|ui| {
                        sort.header(ui, "类型", SortKey::Kind);
                    });
                    h.col(|ui| {
                        ui.strong("形式");
                    });
                    h.col(|ui| {
                        sort.header(ui, "谈话人", SortKey::Talkers);
                    });
                    h.col(|ui| {
                        sort.header(ui, "人次", SortKey::Subjects);
                    });
                    h.col(|ui| {
                        ui.strong("谈话对象");
                    });
                })
                .body(|body| {
                    body.rows(28.0, self.view.len(), |mut row| {
                        let i = self.view[row.index()];
                        let (t, line) = (&self.rows[i], &self.lines[i]);
                        row.set_selected(t.id.is_some() && t.id == selected);
                        row.col(|ui| {
                            ui.label(&line.date);
                        });
                        row.col(|ui| {
                            ui.label(self.kind_label(t.kind_id));
                        });
                        row.col(|ui| {
                            ui.label(t.form.label());
                        });
                        row.col(|ui| {
                            ui.label(&t.talkers);
                        });
                        row.col(|ui| {
                            ui.label(&line.count);
                        });
                        row.col(|ui| {
                            ui.label(&line.subjects);
                        });
                        if row.response().clicked() {
                            clicked = t.id;
                        }
                    });
                });
        });
        if sort != self.sort {
            sort.remember(ui.ctx(), "talks");
        }
        self.sort = sort;
        clicked
    }

    /// A form was opened: the members to pick 谈话对象 from, as they are today.
    fn opened(&mut self, ctx: &AppCtx) {
        self.state = FormState {
            candidates: ctx.db.members_on_rolls(ctx.today).unwrap_or_default(),
            ..Default::default()
        };
    }
}

impl Editable for TalkInput {
    type Field = F;
    type Loaded = Talk;

    fn blank(ctx: &AppCtx) -> Self {
        TalkInput {
            date: date::iso(ctx.today),
            kind_id: ctx
                .db
                .talk_kinds()
                .ok()
                .and_then(|kinds| kinds.into_iter().find(|k| !k.hidden))
                .and_then(|k| k.id),
            org_id: ctx.orgs.first_id(),
            ..Default::default()
        }
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Talk, Self), StoreError> {
        let t = ctx.db.talk(id)?;
        let input = t.to_input();
        Ok((t, input))
    }

    fn write(&self, loaded: Option<&Talk>, ctx: &AppCtx) -> Result<Write, FieldErrors<F>> {
        let talk = self.validate(ctx.today)?;
        Ok(Write::Talk(Box::new(talk), loaded.cloned().map(Box::new)))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Talk(..))
    }

    fn saved(_: &Write) -> String {
        "已保存谈话记录".into()
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该谈话记录：{e}")
    }
}

fn form_ui(
    ui: &mut Ui,
    editor: &mut Editor<TalkInput>,
    state: &mut FormState,
    kinds: &[TalkKind],
    org_options: &[(i64, String)],
) -> Option<FormAction> {
    let form = editor.form()?;
    let title = if form.draft.id.is_some() {
        "谈话记录"
    } else {
        "登记谈话"
    };
    let action = editor.save_bar(ui, title);
    let Some(form) = editor.form_mut() else {
        return action;
    };
    let errors = &form.errors;
    let input = &mut form.draft;
    egui::ScrollArea::vertical()
        .id_salt(("talk_form_scroll", input.id))
        .show(ui, |ui| {
            egui::Grid::new("talk_grid")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    row(ui, "谈话日期", true, errors.get(F::Date), |ui, id| {
                        date_field(ui, &mut input.date, id);
                    });
                    let options: Vec<(i64, String)> = kinds
                        .iter()
                        .filter(|k| !k.hidden || k.id == input.kind_id)
                        .filter_map(|k| Some((k.id?, k.label.clone())))
                        .collect();
                    choice_row(
                        ui,
                        "谈话类型",
                        true,
                        errors.get(F::Kind),
                        &mut input.kind_id,
                        &options,
                        None,
                    );
                    choice_row(
                        ui,
                        "所属组织",
                        false,
                        None,
                        &mut input.org_id,
                        org_options,
                        None,
                    );
                    row(ui, "形式", false, None, |ui, _| {
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut input.form, TalkForm::Individual, "个别谈话");
                            ui.radio_value(&mut input.form, TalkForm::Collective, "集体谈话");
                        });
                    });
                    row(ui, "谈话人", true, errors.get(F::Talkers), |ui, id| {
                        ui.add(
                            TextEdit::singleline(&mut input.talkers)
                                .desired_width(260.0)
                                .hint_text("多人用“、”分隔"),
                        )
                        .labelled_by(id);
                    });
                    row(
                        ui,
                        "谈话对象",
                        true,
                        errors.get(F::Subjects),
                        |ui, id| {
                            ui.vertical(|ui| {
                                if !input.subjects.is_empty() {
                                    let mut remove = None;
                                    ui.horizontal_wrapped(|ui| {
                                        for (i, (_, name)) in input.subjects.iter().enumerate() {
                                            if ui
                                                .button(format!("{name} ×"))
                                                .on_hover_text("移除")
                                                .clicked()
                                            {
                                                remove = Some(i);
                                            }
                                        }
                                    });
                                    if let Some(i) = remove {
                                        input.subjects.remove(i);
                                    }
                                }
                                ui.add(
                                    TextEdit::singleline(&mut state.search)
                                        .desired_width(260.0)
                                        .hint_text("输入姓名查找党员"),
                                )
                                .labelled_by(id);
                                let needle = state.search.trim();
                                if !needle.is_empty() {
                                    let found: Vec<&(i64, String, String)> = state
                                        .candidates
                                        .iter()
                                        .filter(|(_, n, _)| n.contains(needle))
                                        .take(8)
                                        .collect();
                                    for (member_id, name, org) in found {
                                        if ui.button(format!("＋ {name}（{org}）")).clicked()
                                            && !input.subjects.iter().any(|(i, _)| i == member_id)
                                        {
                                            input.subjects.push((*member_id, name.clone()));
                                        }
                                    }
                                }
                            });
                        },
                    );
                    text_row(ui, "其他对象姓名", false, None, &mut input.subject_names);
                    if input.form == TalkForm::Collective {
                        row(
                            ui,
                            "对象人数",
                            false,
                            errors.get(F::Headcount),
                            |ui, id| {
                                ui.add(
                                    TextEdit::singleline(&mut input.headcount)
                                        .desired_width(60.0)
                                        .hint_text("人"),
                                )
                                .labelled_by(id);
                            },
                        );
                    }
                    text_row(ui, "地点", false, None, &mut input.place);
                });
            ui.add_space(8.0);
            // Folded by default: a visitor may be looking at the screen.
            let toggle = if state.show_content {
                "隐藏谈话内容"
            } else {
                "显示谈话事由、内容和后续跟进"
            };
            if ui.button(toggle).clicked() {
                state.show_content = !state.show_content;
            }
            if state.show_content {
                egui::Grid::new("talk_content")
                    .min_col_width(form::LABEL_WIDTH)
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for (label, text) in [
                            ("谈话事由", &mut input.reason),
                            ("谈话内容", &mut input.content),
                            ("后续跟进", &mut input.follow_up),
                        ] {
                            row(ui, label, false, None, |ui, id| {
                                ui.add(
                                    TextEdit::multiline(text)
                                        .desired_rows(3)
                                        .desired_width(300.0),
                                )
                                .labelled_by(id);
                            });
                        }
                    });
            } else {
                ui.label(RichText::new("谈话内容属敏感信息，默认不显示。").weak());
            }
        });
    action
}
