//! The one record editor every tab's form goes through: the draft being typed and the record as it
//! was opened, the field errors, navigation that waits for a discard confirmation while there are
//! unsaved changes, the save bar, and refusals from the store shown at the field they name.

use egui::{RichText, Ui};

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

/// An open form: `draft` is what the user types into; `original` is what it was when opened.
pub struct Form<D, F> {
    pub draft: D,
    original: D,
    pub errors: FieldErrors<F>,
    /// A refusal that names no field of this form, shown under the save bar.
    pub store_error: Option<String>,
}

impl<D: Clone + PartialEq, F: FormField> Form<D, F> {
    pub fn original(&self) -> &D {
        &self.original
    }

    pub fn is_dirty(&self) -> bool {
        self.draft != self.original
    }
}

pub struct Editor<D, F> {
    form: Option<Form<D, F>>,
    /// Where the user asked to go while the form had unsaved changes: waits for the confirmation.
    pending: Option<Next>,
    id_salt: &'static str,
}

impl<D: Clone + PartialEq, F: FormField> Editor<D, F> {
    pub fn new(id_salt: &'static str) -> Self {
        Self {
            form: None,
            pending: None,
            id_salt,
        }
    }

    pub fn form(&self) -> Option<&Form<D, F>> {
        self.form.as_ref()
    }

    pub fn form_mut(&mut self) -> Option<&mut Form<D, F>> {
        self.form.as_mut()
    }

    pub fn is_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(Form::is_dirty)
    }

    /// Opens `draft` as the record as it is now (after loading or after a save).
    pub fn open(&mut self, draft: D) {
        self.form = Some(Form {
            original: draft.clone(),
            draft,
            errors: FieldErrors::new(),
            store_error: None,
        });
    }

    pub fn close(&mut self) {
        self.form = None;
    }

    /// Takes what the user asked for this frame and answers where to go now: at once when nothing
    /// would be lost, else after "放弃修改？" is confirmed (the question stays up across frames).
    pub fn navigate(&mut self, ctx: &egui::Context, asked: Option<Next>) -> Option<Next> {
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

    /// Validation found `errors`: they show at their fields; nothing was written.
    pub fn invalid(&mut self, errors: FieldErrors<F>) {
        if let Some(f) = &mut self.form {
            f.errors = errors;
            f.store_error = None;
        }
    }

    /// Clears the errors of an earlier attempt before a new one is sent.
    pub fn clear_errors(&mut self) {
        self.invalid(FieldErrors::new());
    }

    /// The store refused the save: at the field the refusal names when it is one of this form's,
    /// else under the save bar. The draft stays as typed.
    pub fn refused(&mut self, error: &StoreError) {
        let Some(f) = &mut self.form else { return };
        match error.field().and_then(F::from_key) {
            Some(field) => {
                f.errors = FieldErrors::new();
                f.errors.push(field, error.to_string());
                f.store_error = None;
            }
            None => f.store_error = Some(error.to_string()),
        }
    }
}
