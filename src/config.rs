//! Where and as whom to call InPost: the environment or an explicit base URL, and the login.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use crate::Error;

/// InPost's production endpoint. doc
pub const PRODUCTION_URL: &str = "https://api.paczkomaty.pl/";
/// InPost's sandbox endpoint (needs an account there with Quick Returns enabled). code
pub const SANDBOX_URL: &str = "https://sandbox-api.paczkomaty.pl/";

/// One of InPost's two hosted environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// `https://api.paczkomaty.pl/`
    Production,
    /// `https://sandbox-api.paczkomaty.pl/`
    Sandbox,
}

impl Environment {
    /// The environment's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => PRODUCTION_URL,
            Environment::Sandbox => SANDBOX_URL,
        }
    }
}

/// The contract's config: `environment` or `baseUrl` (which wins), and the parcel-manager login.
///
/// `Debug` never shows the e-mail or the password.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Config {
    /// `production` or `sandbox`.
    pub environment: Option<Environment>,
    /// Overrides the environment's URL, e.g. a local sandbox `http://127.0.0.1:8787/`. Plain
    /// `http://` is accepted only for loopback hosts.
    pub base_url: Option<String>,
    /// The login e-mail of the InPost parcel-manager account.
    pub email: String,
    /// The password of that account.
    pub password: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("email", &"<redacted>")
            .field("password", &"<redacted>")
            .finish()
    }
}

impl Config {
    /// A config for one of InPost's environments.
    pub fn new(
        environment: Environment,
        email: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Config {
            environment: Some(environment),
            base_url: None,
            email: email.into(),
            password: password.into(),
        }
    }

    /// A config for an explicit base URL, e.g. the local sandbox.
    pub fn with_base_url(
        base_url: impl Into<String>,
        email: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Config {
            environment: None,
            base_url: Some(base_url.into()),
            email: email.into(),
            password: password.into(),
        }
    }

    /// Checks the config and returns the URL to which `?do=…` is appended.
    pub(crate) fn endpoint(&self) -> Result<Cow<'_, str>, Error> {
        if self.email.trim().is_empty() {
            return Err(Error::invalid_input(
                "config.email",
                "the parcel-manager login e-mail is required",
            ));
        }
        if self.password.is_empty() {
            return Err(Error::invalid_input(
                "config.password",
                "the parcel-manager password is required",
            ));
        }
        match (&self.base_url, self.environment) {
            (Some(url), _) => check_base_url(url),
            (None, Some(environment)) => Ok(Cow::Borrowed(environment.base_url())),
            (None, None) => Err(Error::invalid_input(
                "config.environment",
                "set `environment` (\"production\" or \"sandbox\") or `baseUrl`",
            )),
        }
    }
}

/// Accepts `https://host[:port][/path]` anywhere and `http://` only for loopback hosts, so that
/// credentials never travel unencrypted. Returns the URL with a `/` path when it had none.
fn check_base_url(url: &str) -> Result<Cow<'_, str>, Error> {
    const FIELD: &str = "config.baseUrl";
    let bad = |why: &str| Err(Error::invalid_input(FIELD, why));
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("the URL must not contain white space or control characters");
    }
    if url.contains(['?', '#']) {
        return bad("the URL must not carry a query or fragment; `?do=…` is added per operation");
    }
    let scheme_end = crate::text::find_bytes(url.as_bytes(), b"://");
    let (secure, rest) = match scheme_end.map(|i| (&url[..i], &url[i + 3..])) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (true, rest),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (false, rest),
        _ => return bad("expected an https:// URL, e.g. https://api.paczkomaty.pl/"),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return bad(
            "the URL must not contain user information; pass `email` and `password` instead",
        );
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((addr, port)) if valid_port(port) => &authority[..addr.len() + 2],
            _ => return bad("malformed IPv6 host or port"),
        },
        None => {
            let (host, port) = authority.split_at(authority.find(':').unwrap_or(authority.len()));
            if !valid_port(port) {
                return bad("the port must be a number");
            }
            host
        }
    };
    if host.is_empty() {
        return bad("the URL has no host");
    }
    if !secure && !is_loopback(host) {
        return bad("plain http:// is allowed only for loopback hosts (127.0.0.1, [::1], localhost); use https://");
    }
    Ok(if path.is_empty() {
        Cow::Owned(format!("{url}/"))
    } else {
        Cow::Borrowed(url)
    })
}

/// `""` or `:digits`.
fn valid_port(port: &str) -> bool {
    match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.bytes().all(|b| b.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(url: &str) -> Result<String, Error> {
        Config::with_base_url(url, "shop@example.com", "secret")
            .endpoint()
            .map(Cow::into_owned)
    }

    #[test]
    fn environments_map_to_inpost_urls() {
        let config = Config::new(Environment::Production, "a@b.pl", "x");
        assert_eq!(config.endpoint().unwrap(), "https://api.paczkomaty.pl/");
        let config = Config::new(Environment::Sandbox, "a@b.pl", "x");
        assert_eq!(
            config.endpoint().unwrap(),
            "https://sandbox-api.paczkomaty.pl/"
        );
    }

    #[test]
    fn base_url_wins_and_gets_a_path() {
        let mut config = Config::new(Environment::Production, "a@b.pl", "x");
        config.base_url = Some("http://127.0.0.1:8787".into());
        assert_eq!(config.endpoint().unwrap(), "http://127.0.0.1:8787/");
        assert_eq!(
            endpoint("https://proxy.example.com/inpost/").unwrap(),
            "https://proxy.example.com/inpost/"
        );
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8787/",
            "http://localhost/",
            "HTTP://[::1]:80/",
            "http://127.1.2.3",
        ] {
            assert!(endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.paczkomaty.pl/",
            "http://127.0.0.1.evil.com/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://127.0.0.256/",
        ] {
            let err = endpoint(bad).unwrap_err();
            assert_eq!(err.field(), Some("config.baseUrl"), "{bad}");
        }
    }

    #[test]
    fn malformed_urls_are_refused() {
        for bad in [
            "api.paczkomaty.pl",
            "ftp://x/",
            "https://",
            "https://user:pw@host/",
            "https://h/?do=x",
            "https://h:port/",
            "https://h /",
        ] {
            assert_eq!(
                endpoint(bad).unwrap_err().field(),
                Some("config.baseUrl"),
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_are_required_and_never_printed() {
        let config = Config::new(Environment::Sandbox, "", "x");
        assert_eq!(config.endpoint().unwrap_err().field(), Some("config.email"));
        let config = Config::new(Environment::Sandbox, "a@b.pl", "");
        assert_eq!(
            config.endpoint().unwrap_err().field(),
            Some("config.password")
        );
        let config = Config::new(Environment::Sandbox, "shop@example.com", "hunter2");
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("shop@example.com"),
            "{debug}"
        );
        let config = Config {
            email: "a@b.pl".into(),
            password: "x".into(),
            ..Config::default()
        };
        assert_eq!(
            config.endpoint().unwrap_err().field(),
            Some("config.environment")
        );
    }
}
