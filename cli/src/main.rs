//! `inpost-returns`: build an InPost Quick Returns request or parse a saved answer from the shell.
//! It prints the contract's envelope as one JSON line and never talks to the network.

use std::io::{Read, Write};
use std::process::ExitCode;

use inpost_quick_returns::{envelope, Operation};

const HELP: &str = "\
inpost-returns — build InPost Quick Returns (Szybkie Zwroty) requests and parse InPost's answers.
It does no networking: `build` prints the exact HTTP request to send, `parse` reads a saved answer.

USAGE:
    inpost-returns build <operation> --config <file> [--input <file>]
    inpost-returns parse <operation> [--status <code>] [<file>]
    inpost-returns --help | --version

OPERATIONS:
    generateActiveCode      scenario 1: an active code for an accepted return
    generateInactiveCodes   scenario 2: a batch of inactive codes to ship with products
    activateCode            scenario 2: activate one of those codes
    invalidateCode          disable an inactive, unused code
    getReport               codes with their shipment status

OPTIONS:
    --config <file>   JSON config: {\"environment\": \"production\"|\"sandbox\" or \"baseUrl\": \"…\",
                      \"email\": \"…\", \"password\": \"…\"}
    --input <file>    JSON input of the operation (default: standard input)
    --status <code>   HTTP status the answer came with (default: 200)
    <file>            the answer's raw body (default: standard input)

OUTPUT:
    One JSON line: {\"ok\":true,\"value\":…} or {\"ok\":false,\"error\":{\"kind\",\"message\",…}}.
    Exit status 0 for ok, 1 for an error envelope, 2 for a usage error. Output to a reader that
    stops early (`| head -c 10`) ends quietly, with the same status.

EXAMPLES:
    echo '{\"numberOfCodes\": 2}' | inpost-returns build generateInactiveCodes --config sandbox.json
    curl -s -X POST \"$URL\" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary \"$BODY\" \\
        | inpost-returns parse generateInactiveCodes
    inpost-returns parse getReport --status 200 saved-report.xml
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let line = match run(&args) {
        Ok(Some(line)) => line,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            // Nothing more can be done should standard error be closed too.
            let _ = writeln!(
                std::io::stderr(),
                "inpost-returns: {message}\nTry `inpost-returns --help`."
            );
            envelope::usage_error(&message)
        }
    };
    print_out(&format!("{line}\n"));
    exit_code(&line)
}

/// Writes to standard output. A reader that stopped reading (`… | head -c 10`) ends the output
/// quietly: the exit status stays that of the result, as for any other write of the line.
fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                std::io::stderr(),
                "inpost-returns: cannot write the output: {e}"
            );
        }
        _ => {}
    }
}

/// 0 for ok, 2 for a usage error, 1 for any other error envelope.
fn exit_code(line: &str) -> ExitCode {
    if line.starts_with(r#"{"ok":true"#) {
        ExitCode::SUCCESS
    } else if line.contains(r#""kind":"usage""#) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// The envelope to print, `None` after printing help or the version, or a usage message.
fn run(args: &[String]) -> Result<Option<String>, String> {
    let (command, rest) = match args.split_first() {
        None => return Err("a command is required: build or parse".into()),
        Some((c, rest)) => (c.as_str(), rest),
    };
    match command {
        "-h" | "--help" | "help" => {
            print_out(HELP);
            Ok(None)
        }
        "-V" | "--version" => {
            print_out(&format!(
                "inpost-returns {}\n",
                inpost_quick_returns::VERSION
            ));
            Ok(None)
        }
        "build" => build(rest).map(Some),
        "parse" => parse(rest).map(Some),
        other => Err(format!(
            "unknown command `{other}`; expected build or parse"
        )),
    }
}

struct Args<'a> {
    operation: &'a str,
    options: Vec<(&'a str, &'a str)>,
    positional: Vec<&'a str>,
}

fn split_args<'a>(args: &'a [String], known: &[&str]) -> Result<Args<'a>, String> {
    let mut operation = None;
    let mut options = Vec::new();
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(flag) = arg.strip_prefix("--") {
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name, value),
                None => (
                    flag,
                    iter.next()
                        .ok_or_else(|| format!("--{flag} needs a value"))?
                        .as_str(),
                ),
            };
            if !known.contains(&name) {
                return Err(format!("unknown option --{name}"));
            }
            options.push((name, value));
        } else if operation.is_none() {
            operation = Some(arg.as_str());
        } else {
            positional.push(arg.as_str());
        }
    }
    let operation = operation.ok_or_else(|| {
        let names: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        format!("an operation is required: one of {}", names.join(", "))
    })?;
    // An unknown operation is reported by the core, whose usage envelope lists the valid ones.
    Ok(Args {
        operation,
        options,
        positional,
    })
}

fn option<'a>(args: &Args<'a>, name: &str) -> Option<&'a str> {
    args.options
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
}

fn build(args: &[String]) -> Result<String, String> {
    let args = split_args(args, &["config", "input"])?;
    if !args.positional.is_empty() {
        return Err(format!("unexpected argument `{}`", args.positional[0]));
    }
    let config_path = option(&args, "config").ok_or("--config <file> is required")?;
    let config = read_text(config_path)?;
    let input = match option(&args, "input") {
        Some(path) => read_text(path)?,
        None => String::from_utf8(read_stdin()?)
            .map_err(|_| "the input on standard input is not UTF-8".to_owned())?,
    };
    Ok(envelope::build_request(args.operation, &config, &input))
}

fn parse(args: &[String]) -> Result<String, String> {
    let args = split_args(args, &["status"])?;
    let status = match option(&args, "status") {
        None => 200,
        Some(s) => s
            .parse::<u16>()
            .ok()
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| format!("--status `{s}` is not an HTTP status code"))?,
    };
    let body = match args.positional.as_slice() {
        [] => read_stdin()?,
        [path] => std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?,
        [_, extra, ..] => return Err(format!("unexpected argument `{extra}`")),
    };
    Ok(envelope::parse_response(args.operation, status, &body))
}

fn read_text(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8"))
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok(bytes)
}
