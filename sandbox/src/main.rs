//! `inpost-returns-sandbox`: run the local InPost Quick Returns sandbox. See `--help`.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use inpost_returns_sandbox::cli::{self, Command};
use inpost_returns_sandbox::{log, Config, Server};

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(a) => args.push(a),
            Err(_) => return usage_error("arguments must be UTF-8"),
        }
    }
    let options = match cli::parse(args) {
        Ok(Command::Run(o)) => o,
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("inpost-returns-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(message) => return usage_error(&message),
    };

    let seed = options.seed.unwrap_or_else(random_seed);
    let emails: Vec<&str> = options.accounts.iter().map(|a| a.email.as_str()).collect();
    let summary = format!(
        "accounts={} delay-ms={} fail-rate={} lose-answer-rate={} report-paging={} seed={seed}",
        emails.join(","),
        options.delay_ms,
        options.fail_rate,
        options.lose_answer_rate,
        options.report_paging.name()
    );
    let server = match Server::bind(Config {
        listen: options.listen.clone(),
        accounts: options.accounts,
        delay: Duration::from_millis(options.delay_ms),
        fail_rate: options.fail_rate,
        lose_answer_rate: options.lose_answer_rate,
        report_paging: options.report_paging,
        seed,
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "inpost-returns-sandbox: cannot listen on {}: {e}",
                options.listen
            );
            return ExitCode::FAILURE;
        }
    };

    // The contract with scripts: the very first stdout line, flushed at once.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on {}", server.url());
    let _ = stdout.flush();
    drop(stdout);
    log::line(&format!(
        "inpost-returns-sandbox {} listening on {} {summary}",
        env!("CARGO_PKG_VERSION"),
        server.url()
    ));

    let handle = server.shutdown_handle();
    if let Err(e) = ctrlc::set_handler(move || {
        if !handle.shutdown() {
            // A second signal while draining: stop now.
            std::process::exit(0);
        }
    }) {
        log::line(&format!("cannot install the signal handler: {e}"));
    }

    server.run();
    log::line("stopped");
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("inpost-returns-sandbox: {message}\nTry `inpost-returns-sandbox --help`.");
    ExitCode::from(2)
}

/// A seed from the clock and the process id, when `--seed` is not given. It is logged, so a run
/// can be replayed with `--seed`.
fn random_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    nanos ^ (u64::from(std::process::id()) << 32)
}
