//! The one record editor every tab's form goes through, for the whole life of a form: opening a
//! new or a stored record (and keeping the record as it was loaded, which the per-record guard
//! checks the save against), the draft being typed, navigation that waits for a discard
//! confirmation while there are unsaved changes, the save bar, the check by the model's rules, the
//! write handed to the app, and the store's answer: the form reopened on the saved record, or the
//! refusal shown at the field it names.

use egui::{RichText, Ui};

use super::AppCtx;
use super::action::{Action, Done, Write};
use super::confirm_discard;
use super::widgets::form::ERROR;
use crate::model::{FieldErrors, FormField};
use crate::store::StoreError;

/// Where a form goes next: a new record, another record, or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    New,
    Edit(i64),
    Close,
}

/// What the save bar was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    Save,
    Cancel,
}

/// A form's draft: what the user types into, for one kind of record.
pub trait Editable: Clone + PartialEq + Sized {
    /// The fields the model's check names.
    type Field: FormField;
    /// The record as the form loaded it: a save over a change made since is refused.
    type Loaded: Clone;

    /// The draft of a new record.
    fn blank(ctx: &AppCtx) -> Self;

    /// Record `id` as it is now, and its draft.
    fn load(ctx: &AppCtx, id: i64) -> Result<(Self::Loaded, Self), StoreError>;

    /// The draft checked by the model's rules, as the write of it over `loaded`.
    fn write(
        &self,
        loaded: Option<&Self::Loaded>,
        ctx: &AppCtx,
    ) -> Result<Write, FieldErrors<Self::Field>>;

    /// Whether `write` is a save of this kind of form (its answer comes back to the form).
    fn is_save(write: &Write) -> bool;

    /// The toast after a save.
    fn saved(write: &Write) -> String;

    /// The toast when record `id` cannot be opened: "无法打开该谈话记录".
    fn cannot_open(e: &StoreError) -> String;
}

/// An open form: `draft` is what the user types into; `original` is what it was when opened.
pub struct Form<D, F> {
    pub draft: D,
    original: D,
    pub errors: FieldErrors<F>,
    /// A refusal that names no field of this form, shown under the save bar.
    pub store_error: Option<String>,
    /// The draft the errors were found in: once it changes, an error whose field is now right
    /// goes at once (the user sees the fix take), and none is added before 保存.
    checked: Option<D>,
}

impl<D: Clone + PartialEq, F: FormField> Form<D, F> {
    pub fn original(&self) -> &D {
        &self.original
    }

    pub fn is_dirty(&self) -> bool {
        self.draft != self.original
    }
}

pub struct Editor<D: Editable> {
    form: Option<Form<D, D::Field>>,
    /// The record as the open form loaded it (`None` for a new one).
    loaded: Option<D::Loaded>,
    /// Where the user asked to go while the form had unsaved changes: waits for the confirmation.
    pending: Option<Next>,
    id_salt: &'static str,
}

impl<D: Editable> Editor<D> {
    pub fn new(id_salt: &'static str) -> Self {
        Self {
            form: None,
            loaded: None,
            pending: None,
            id_salt,
        }
    }

    pub fn form(&self) -> Option<&Form<D, D::Field>> {
        self.form.as_ref()
    }

    pub fn form_mut(&mut self) -> Option<&mut Form<D, D::Field>> {
        self.form.as_mut()
    }

    pub fn is_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(Form::is_dirty)
    }

    /// The record as the open form loaded it.
    pub fn loaded(&self) -> Option<&D::Loaded> {
        self.loaded.as_ref()
    }

    /// The record changed by this window since it was loaded (a progress note, a 销号): later
    /// saves are checked against it, and the draft stays as typed.
    pub fn reloaded(&mut self, loaded: D::Loaded) {
        self.loaded = Some(loaded);
    }

    /// Opens `draft` as the record as it is now (after loading or after a save).
    fn open(&mut self, draft: D, loaded: Option<D::Loaded>) {
        self.loaded = loaded;
        self.form = Some(Form {
            original: draft.clone(),
            draft,
            errors: FieldErrors::new(),
            store_error: None,
            checked: None,
        });
    }

    /// Changes the form as it was opened (the draft and what it is compared with), for what the
    /// tab fills in on opening: a new meeting's organisation and roll are not changes to ask about.
    pub fn opened_with(&mut self, change: impl FnOnce(&mut D)) {
        if let Some(f) = &mut self.form {
            change(&mut f.draft);
            f.original = f.draft.clone();
        }
    }

    pub fn close(&mut self) {
        self.form = None;
        self.loaded = None;
    }

    /// Goes where asked: a blank form, record `id` loaded afresh, or closed. Whether a form was
    /// opened (the tab then reads what it shows beside it).
    pub fn go(&mut self, next: Next, ctx: &mut AppCtx) -> bool {
        match next {
            Next::Close => {
                self.close();
                false
            }
            Next::New => {
                self.open(D::blank(ctx), None);
                true
            }
            Next::Edit(id) => match D::load(ctx, id) {
                Ok((loaded, draft)) => {
                    self.open(draft, Some(loaded));
                    true
                }
                Err(e) => {
                    ctx.toasts.error(D::cannot_open(&e));
                    false
                }
            },
        }
    }

    /// Takes what the user asked for this frame and goes there: at once when nothing would be
    /// lost, else after "放弃修改？" is confirmed (the question stays up across frames). Whether a
    /// form was opened.
    pub fn follow(
        &mut self,
        egui_ctx: &egui::Context,
        asked: Option<Next>,
        ctx: &mut AppCtx,
    ) -> bool {
        self.recheck(ctx);
        match self.navigate(egui_ctx, asked) {
            Some(next) => self.go(next, ctx),
            None => false,
        }
    }

    /// Drops the errors of fields that are right now, when the draft changed since they were
    /// found.
    fn recheck(&mut self, ctx: &AppCtx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        if form.errors.is_empty() || form.checked.as_ref() == Some(&form.draft) {
            return;
        }
        form.checked = Some(form.draft.clone());
        let now = form.draft.write(self.loaded.as_ref(), ctx);
        form.errors.keep_still_wrong(&now);
    }

    fn navigate(&mut self, ctx: &egui::Context, asked: Option<Next>) -> Option<Next> {
        if let Some(next) = asked {
            if !self.is_dirty() {
                self.pending = None;
                return Some(next);
            }
            self.pending = Some(next);
        }
        let next = self.pending?;
        match confirm_discard(ctx, self.id_salt) {
            Some(true) => {
                self.pending = None;
                Some(next)
            }
            Some(false) => {
                self.pending = None;
                None
            }
            None => None,
        }
    }

    /// 保存: the draft checked by the model's rules; its errors shown at their fields, or the
    /// write for the app.
    pub fn save(&mut self, ctx: &AppCtx) -> Option<Action> {
        self.checked(ctx).map(Action::Write)
    }

    /// The write 保存 would send, for a form that asks something first (a member leaving the
    /// rolls is confirmed); the errors shown at their fields when the draft is wrong.
    pub fn checked(&mut self, ctx: &AppCtx) -> Option<Write> {
        let form = self.form.as_mut()?;
        form.store_error = None;
        match form.draft.write(self.loaded.as_ref(), ctx) {
            Err(errors) => {
                form.errors = errors;
                form.checked = Some(form.draft.clone());
                None
            }
            Ok(write) => {
                form.errors = FieldErrors::new();
                Some(write)
            }
        }
    }

    /// The store's answer to a write: when it is this form's save, the form reopens on the saved
    /// record with a toast, or shows the refusal at the field it names with the draft as typed.
    /// Whether it was this form's (and saved: the tab reads what it shows beside the form again).
    pub fn answered(&mut self, done: &Done, ctx: &mut AppCtx) -> Option<bool> {
        if !D::is_save(&done.write) {
            return None;
        }
        match &done.result {
            Ok(id) => {
                ctx.toasts.success(D::saved(&done.write));
                Some(self.go(Next::Edit(*id), ctx))
            }
            Err(e) => {
                self.refused(e);
                Some(false)
            }
        }
    }

    /// The top of the form: its title, 保存 and 取消, how many fields need attention after a refused
    /// save, and a refusal that belongs to no one field.
    pub fn save_bar(&self, ui: &mut Ui, title: &str) -> Option<FormAction> {
        let mut action = None;
        ui.heading(title);
        ui.horizontal(|ui| {
            if ui.button(RichText::new("保存").strong()).clicked() {
                action = Some(FormAction::Save);
            }
            if ui
                .button("取消")
                .on_hover_text("放弃未保存的修改")
                .clicked()
            {
                action = Some(FormAction::Cancel);
            }
            let count = self.form.as_ref().map_or(0, |f| f.errors.len());
            if count > 0 {
                ui.label(RichText::new(format!("有{count}处需要修改，见下方红字")).color(ERROR));
            }
        });
        if let Some(e) = self.form.as_ref().and_then(|f| f.store_error.as_deref()) {
            ui.label(RichText::new(e).color(ERROR));
        }
        ui.separator();
        action
    }

    /// The store refused the save: at the field the refusal names when it is one of this form's,
    /// else under the save bar. The draft stays as typed.
    fn refused(&mut self, error: &StoreError) {
        let Some(f) = &mut self.form else { return };
        f.checked = Some(f.draft.clone());
        match error.field().and_then(D::Field::from_key) {
            Some(field) => {
                f.errors = FieldErrors::new();
                f.errors.push(field, error.to_string());
                f.store_error = None;
            }
            None => f.store_error = Some(error.to_string()),
        }
    }
}
