//! 文件 → 连接单位服务器…: the address of the ledger on the bureau's database server (主机, 端口,
//! 数据库, 用户名) and the password, asked here and never kept by us (PGPASSWORD or the pgpass
//! file serve as they serve psql). The address, without the password, is remembered for next time.

use egui::RichText;
use serde::{Deserialize, Serialize};

use crate::store::server::Address;
use crate::ui::widgets::form::WARNING;

/// The last server connected to, kept between runs (never its password).
#[derive(Serialize, Deserialize, Clone, Default, PartialEq, Eq, Debug)]
#[serde(default)]
pub struct ServerPrefs {
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
}

impl ServerPrefs {
    /// The address of `a`, without its password.
    pub fn of(a: &Address) -> Self {
        ServerPrefs {
            host: a.host.clone(),
            port: a.port,
            dbname: a.dbname.clone(),
            user: a.user.clone(),
        }
    }
}

/// Which field a message is about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    Host,
    Port,
    Dbname,
    User,
    Password,
}

pub struct ConnectForm {
    pub host: String,
    pub port: String,
    pub dbname: String,
    pub user: String,
    pub password: String,
    /// What went wrong, at the field it is about (`None`: the whole form).
    pub message: Option<(Option<Field>, String)>,
}

pub enum ConnectEvent {
    Close,
    Connect(Address, Option<String>),
}

impl ConnectForm {
    pub fn new(last: &ServerPrefs) -> Self {
        ConnectForm {
            host: last.host.clone(),
            port: if last.port == 0 {
                "5432".into()
            } else {
                last.port.to_string()
            },
            dbname: if last.dbname.is_empty() {
                "dangwu".into()
            } else {
                last.dbname.clone()
            },
            user: last.user.clone(),
            password: String::new(),
            message: None,
        }
    }

    /// The form for `address`, asking for its password (the server wants one nobody gave).
    pub fn asking(address: &Address, message: String) -> Self {
        let mut form = ConnectForm::new(&ServerPrefs::of(address));
        if !message.is_empty() {
            form.failed(message);
        }
        form
    }

    /// A failure to connect, said at the field it is about.
    pub fn failed(&mut self, message: String) {
        let field = if message.contains("密码") {
            Some(Field::Password)
        } else if message.contains("上没有名为") {
            Some(Field::Dbname)
        } else {
            None
        };
        self.message = Some((field, message));
    }

    /// The address typed, or what is wrong with it, at its field.
    fn address(&self) -> Result<Address, (Field, String)> {
        if self.host.trim().is_empty() {
            return Err((Field::Host, "请填写服务器的主机名或 IP 地址".into()));
        }
        let port = self
            .port
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or((
                Field::Port,
                "端口应为 1～65535 之间的数字，通常是 5432".into(),
            ))?;
        if self.dbname.trim().is_empty() {
            return Err((Field::Dbname, "请填写数据库名，如 dangwu".into()));
        }
        if self.user.trim().is_empty() {
            return Err((Field::User, "请填写登录服务器的用户名".into()));
        }
        Ok(Address::from_parts(
            &self.host,
            port,
            &self.dbname,
            &self.user,
        ))
    }

    /// The dialog; `busy` while the worker connects.
    pub fn show(&mut self, ctx: &egui::Context, busy: Option<&str>) -> Option<ConnectEvent> {
        let mut event = None;
        let modal = egui::Modal::new(egui::Id::unique("connect_server")).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading("连接单位服务器");
            ui.label(
                "几台电脑共用一份台账时，台账放在单位的数据库服务器上（PostgreSQL，或人大金仓、openGauss、瀚高等兼容的数据库）。\
                 地址和登录名由单位信息中心提供。",
            );
            ui.add_space(6.0);
            let message = self.message.clone();
            let mut enter = false;
            let at = |ui: &mut egui::Ui, field: Field| {
                if let Some((Some(f), m)) = &message
                    && *f == field
                {
                    ui.label(RichText::new(m).color(WARNING));
                }
            };
            egui::Grid::new("connect_fields")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let fields: [(&str, Field, &mut String, bool); 5] = [
                        ("服务器地址", Field::Host, &mut self.host, false),
                        ("端口", Field::Port, &mut self.port, false),
                        ("数据库", Field::Dbname, &mut self.dbname, false),
                        ("用户名", Field::User, &mut self.user, false),
                        ("密码", Field::Password, &mut self.password, true),
                    ];
                    for (label, field, value, secret) in fields {
                        let label = ui.label(label);
                        ui.vertical(|ui| {
                            let typed = ui
                                .add(
                                    egui::TextEdit::singleline(value)
                                        .password(secret)
                                        .desired_width(300.0),
                                )
                                .labelled_by(label.id);
                            // Enter in the password connects, as in any login box.
                            if secret
                                && typed.lost_focus()
                                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                            {
                                enter = true;
                            }
                            at(ui, field);
                        });
                        ui.end_row();
                    }
                });
            ui.label(
                RichText::new("密码只用于这次连接，不会保存；也可由系统管理员在 PGPASSWORD 或 pgpass 文件中设置。")
                    .small(),
            );
            if let Some((None, m)) = &message {
                ui.label(RichText::new(m).color(WARNING));
            }
            ui.horizontal(|ui| {
                let clicked = ui
                    .add_enabled(busy.is_none(), egui::Button::new("连接"))
                    .clicked();
                if clicked || (enter && busy.is_none()) {
                    match self.address() {
                        Ok(address) => {
                            self.message = None;
                            let typed = (!self.password.is_empty()).then(|| self.password.clone());
                            let password = typed.or_else(|| address.known_password());
                            event = Some(ConnectEvent::Connect(address, password));
                        }
                        Err((field, m)) => self.message = Some((Some(field), m)),
                    }
                }
                if ui.button("取消").clicked() {
                    event = Some(ConnectEvent::Close);
                }
                if let Some(busy) = busy {
                    ui.spinner();
                    ui.label(format!("{busy}…"));
                }
            });
        });
        if modal.should_close() && event.is_none() {
            event = Some(ConnectEvent::Close);
        }
        event
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_said_at_the_field_it_is_about() {
        let mut form = ConnectForm::new(&ServerPrefs::default());
        form.failed("无法登录服务器 a@h:5432/d：用户名或密码不正确".into());
        assert_eq!(form.message.as_ref().unwrap().0, Some(Field::Password));
        form.failed("服务器 h 上没有名为“d”的数据库".into());
        assert_eq!(form.message.as_ref().unwrap().0, Some(Field::Dbname));
        // Names the database service, but is about the address: said for the whole form.
        form.failed(
            "无法连接服务器 a@h:5432/d：服务器没有接受连接（地址或端口不对，或数据库服务没有开启）。请检查地址、端口和网络。"
                .into(),
        );
        assert_eq!(form.message.as_ref().unwrap().0, None);
    }

    #[test]
    fn a_port_that_is_not_a_number_is_said_at_the_port() {
        let mut form = ConnectForm::new(&ServerPrefs::default());
        form.host = "10.0.0.5".into();
        form.user = "zhibu".into();
        form.port = "54３2".into();
        assert_eq!(form.address().unwrap_err().0, Field::Port);
        form.port = "5432".into();
        let a = form.address().unwrap();
        assert_eq!(a.to_string(), "zhibu@10.0.0.5:5432/dangwu");
    }
}
