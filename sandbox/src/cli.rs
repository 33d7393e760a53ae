//! Command-line options.
//!
//! Hand-parsed (a handful of flags does not justify an argument-parsing crate). Both
//! `--flag value` and `--flag=value` work. Errors are messages for a human; `main` prints them
//! and exits with status 2.

use crate::api::ReportPaging;
use crate::state::Account;

/// The e-mail of the account that exists when no `--account` is given.
pub const DEMO_EMAIL: &str = "demo@example.com";
/// The password of that account.
pub const DEMO_PASSWORD: &str = "demo-password";
/// The default `--listen` address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// The `--help` text.
pub const HELP: &str = "\
inpost-returns-sandbox: a local stand-in for InPost's Quick Returns (Szybkie Zwroty) Paczkomat API XML

USAGE:
    inpost-returns-sandbox [OPTIONS]

The first line on stdout is `listening on http://HOST:PORT/`; point a client's base URL at it.
Log lines (one per request, never passwords or bodies) go to stderr. SIGINT/SIGTERM stop it (exit 0).

OPTIONS:
    --listen ADDR          Address to listen on [default: 127.0.0.1:8787]; port 0 picks a free port
    --account EMAIL:PASS   An account (repeatable; split at the first ':'). Without any, the demo
                           account demo@example.com / demo-password exists
    --delay-ms N           Wait N milliseconds before every answer [default: 0]
    --fail-rate F          Fraction 0.0-1.0 of InPost requests that fail like a broken proxy
                           before the call is carried out (no state changes): 502 or 503 with an
                           HTML page, or a dropped connection [default: 0]
    --lose-answer-rate F   Fraction 0.0-1.0 of InPost requests that are carried out (state changes)
                           and whose answer is then lost: the connection closed without an answer
                           or a proxy's 504 Gateway Timeout page, each half the time [default: 0]
    --report-paging MODE   How revloggetreport pages: normal, or misbehaving like a broken server:
                           ignore-offset (every page starts at the first record) or ignore-limit
                           (a page holds every record from the offset on) [default: normal]
    --seed N               Seed for codes, UUIDs, pack codes and failures [default: random, logged]
    -h, --help             Print this help
    -V, --version          Print the version

TEST HOOKS (JSON answers; not part of InPost's API):
    GET  /_sandbox/health                  200 ok
    GET  /_sandbox/codes                   every code of every account as JSON
    POST /_sandbox/reset                   forget all codes of all accounts
    POST /_sandbox/parcel  code=&status=   status=Created drops the parcel at a locker (code becomes
                                           used); then InTransit, Delivered, ...
";

/// Parsed options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `--listen`.
    pub listen: String,
    /// `--account`, or the demo account.
    pub accounts: Vec<Account>,
    /// `--delay-ms`.
    pub delay_ms: u64,
    /// `--fail-rate`, 0.0–1.0.
    pub fail_rate: f64,
    /// `--lose-answer-rate`, 0.0–1.0.
    pub lose_answer_rate: f64,
    /// `--report-paging`.
    pub report_paging: ReportPaging,
    /// `--seed`, if given.
    pub seed: Option<u64>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Run the server.
    Run(Options),
    /// Print the help.
    Help,
    /// Print the version.
    Version,
}

/// Parses the arguments (without the program name).
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut listen = DEFAULT_LISTEN.to_string();
    let mut accounts: Vec<Account> = Vec::new();
    let mut delay_ms = 0u64;
    let mut fail_rate = 0.0f64;
    let mut lose_answer_rate = 0.0f64;
    let mut report_paging = ReportPaging::Normal;
    let mut seed = None;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--listen" => listen = value("--listen")?,
            "--account" => {
                let v = value("--account")?;
                let (email, password) = v
                    .split_once(':')
                    .ok_or("--account wants EMAIL:PASSWORD (split at the first ':')")?;
                if email.is_empty() || password.is_empty() {
                    return Err("--account: e-mail and password must not be empty".into());
                }
                if accounts.iter().any(|a| a.email == email) {
                    return Err(format!("--account: {email} given twice"));
                }
                accounts.push(Account {
                    email: email.to_string(),
                    password: password.to_string(),
                });
            }
            "--delay-ms" => {
                delay_ms = value("--delay-ms")?
                    .parse()
                    .map_err(|_| "--delay-ms wants a whole number of milliseconds")?;
            }
            "--fail-rate" => fail_rate = rate("--fail-rate", &value("--fail-rate")?)?,
            "--lose-answer-rate" => {
                lose_answer_rate = rate("--lose-answer-rate", &value("--lose-answer-rate")?)?;
            }
            "--report-paging" => {
                let v = value("--report-paging")?;
                report_paging = ReportPaging::from_name(&v).ok_or(
                    "--report-paging wants normal, ignore-offset or ignore-limit".to_string(),
                )?;
            }
            "--seed" => {
                seed = Some(
                    value("--seed")?
                        .parse()
                        .map_err(|_| "--seed wants a whole number")?,
                );
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if accounts.is_empty() {
        accounts.push(Account {
            email: DEMO_EMAIL.to_string(),
            password: DEMO_PASSWORD.to_string(),
        });
    }
    Ok(Command::Run(Options {
        listen,
        accounts,
        delay_ms,
        fail_rate,
        lose_answer_rate,
        report_paging,
        seed,
    }))
}

/// A fraction from 0.0 to 1.0 (NaN refused).
fn rate(flag: &str, value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|f| (0.0..=1.0).contains(f))
        .ok_or_else(|| format!("{flag} wants a number from 0.0 to 1.0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Command::Run(o) => Ok(o),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let o = run(&[]).unwrap();
        assert_eq!(o.listen, "127.0.0.1:8787");
        assert_eq!(o.accounts.len(), 1);
        assert_eq!(o.accounts[0].email, DEMO_EMAIL);
        assert_eq!(o.accounts[0].password, DEMO_PASSWORD);
        assert_eq!((o.delay_ms, o.fail_rate, o.seed), (0, 0.0, None));
        assert_eq!(o.lose_answer_rate, 0.0);
        assert_eq!(o.report_paging, ReportPaging::Normal);
    }

    #[test]
    fn flags() {
        let o = run(&[
            "--listen=127.0.0.1:0",
            "--account",
            "a@b.pl:p:w=d",
            "--account=c@d.pl:x",
            "--delay-ms",
            "5",
            "--fail-rate=0.25",
            "--seed",
            "7",
            "--lose-answer-rate=0.3",
            "--report-paging",
            "ignore-offset",
        ])
        .unwrap();
        assert_eq!(o.lose_answer_rate, 0.3);
        assert_eq!(o.report_paging, ReportPaging::IgnoreOffset);
        assert_eq!(o.listen, "127.0.0.1:0");
        assert_eq!(o.accounts[0].password, "p:w=d");
        assert_eq!(o.accounts[1].email, "c@d.pl");
        assert_eq!((o.delay_ms, o.fail_rate, o.seed), (5, 0.25, Some(7)));
        assert_eq!(parse(["--help".to_string()]), Ok(Command::Help));
        assert_eq!(parse(["-V".to_string()]), Ok(Command::Version));
    }

    #[test]
    fn errors() {
        for bad in [
            &["--fail-rate", "1.5"][..],
            &["--fail-rate", "NaN"],
            &["--lose-answer-rate", "-0.1"],
            &["--lose-answer-rate", "1.01"],
            &["--report-paging", "sometimes"],
            &["--delay-ms", "-1"],
            &["--seed", "x"],
            &["--account", "nocolon"],
            &["--account", ":p"],
            &["--account", "a:"],
            &["--account", "a:1", "--account", "a:2"],
            &["--listen"],
            &["--bogus"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }
}
