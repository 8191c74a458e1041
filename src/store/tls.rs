//! How a server connection is opened: over TLS where the server offers it, as psql does. The
//! address's `sslmode` means what it means to libpq:
//!
//! - `disable`: in the clear;
//! - `prefer` (the default) and `require`: encrypted, the server's certificate not checked
//!   (libpq's own meaning: against eavesdropping, not against a false server); `prefer` falls back
//!   to the clear when the server offers no TLS, `require` refuses then;
//! - `verify-ca` and `verify-full`: encrypted and the certificate checked against `sslrootcert`
//!   (a PEM file, as a bureau's own certificate authority gives) or else the public roots;
//!   `verify-full` also checks the host name.

use std::sync::Arc;

use postgres::config::SslMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// What the address asks of the server's certificate.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Verify {
    /// Not checked (disable, prefer, require).
    #[default]
    Nothing,
    /// Checked against these roots (`sslrootcert`, else the public ones); the host name too
    /// when `host` (verify-full).
    Certificate {
        root: Option<std::path::PathBuf>,
        host: bool,
    },
}

/// `url` with libpq's `sslmode=verify-…` and `sslrootcert=…`, which the client library does not
/// know, taken out and said as [`Verify`] (the mode left in the address is then `require`).
pub fn split_url(url: &str) -> (String, Verify) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Verify::Nothing);
    };
    let mut kept = Vec::new();
    let mut verify = None;
    let mut root = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("sslmode", "verify-full")) => verify = Some(true),
            Some(("sslmode", "verify-ca")) => verify = Some(false),
            Some(("sslrootcert", path)) => root = Some(std::path::PathBuf::from(path)),
            _ => kept.push(pair.to_string()),
        }
    }
    let verify = match verify {
        Some(host) => {
            kept.push("sslmode=require".into());
            Verify::Certificate { root, host }
        }
        None => Verify::Nothing,
    };
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, verify)
}

/// Opens the connection `config` describes, over TLS unless its sslmode is `disable`.
pub fn connect(
    config: &postgres::Config,
    verify: &Verify,
) -> Result<Result<postgres::Client, postgres::Error>, String> {
    if config.get_ssl_mode() == SslMode::Disable {
        return Ok(config.connect(postgres::NoTls));
    }
    let tls = client_config(verify)?;
    Ok(config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls)))
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn client_config(verify: &Verify) -> Result<rustls::ClientConfig, String> {
    let root = match verify {
        Verify::Certificate { root, .. } => root.as_deref(),
        Verify::Nothing => None,
    };
    let roots = roots(root)?;
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    if let Verify::Certificate { host: true, .. } = verify {
        return Ok(builder.with_root_certificates(roots).with_no_client_auth());
    }
    // prefer/require and verify-ca check less than rustls does by default: its verifier checks
    // the handshake's signatures and, for verify-ca, the chain.
    let checked =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| e.to_string())?;
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Lenient {
            checked,
            chain: matches!(verify, Verify::Certificate { .. }),
        }))
        .with_no_client_auth())
}

/// The certificates a server's is checked against: `sslrootcert` (a PEM file), else the public
/// roots.
fn roots(root: Option<&std::path::Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    match root {
        Some(path) => {
            use rustls::pki_types::pem::PemObject;
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("无法读取服务器根证书“{}”：{e}", path.display()))?;
            for cert in certs {
                let cert =
                    cert.map_err(|e| format!("服务器根证书“{}”无法识别：{e}", path.display()))?;
                roots.add(cert).map_err(|e| e.to_string())?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(roots)
}

/// libpq's weaker modes. `chain` (verify-ca): the chain to the roots checked, whatever name the
/// certificate bears; without (prefer/require): the certificate not checked at all. The
/// handshake's signatures are always checked.
#[derive(Debug)]
struct Lenient {
    checked: Arc<rustls::client::WebPkiServerVerifier>,
    chain: bool,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.chain {
            return Ok(ServerCertVerified::assertion());
        }
        match self
            .checked
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.checked.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.checked.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.checked.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_verify_modes_are_taken_out_of_the_address() {
        let (url, v) = split_url("postgres://a@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem");
        assert_eq!(url, "postgres://a@h/db?sslmode=require");
        assert_eq!(
            v,
            Verify::Certificate {
                root: Some("/etc/ca.pem".into()),
                host: true
            }
        );
        let (url, v) = split_url("postgres://a@h/db?sslmode=require");
        assert_eq!(url, "postgres://a@h/db?sslmode=require");
        assert_eq!(v, Verify::Nothing);
    }
}
