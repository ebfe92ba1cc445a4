//! `pulsedesk-admin`: sets up and manages a Pulsedesk shared team database.
//! Run it as the database owner (or a superuser); see `pulsedesk-admin help`.

mod csv_rows;
mod workspace;

use pulsedesk_core::kinds::Role;
use pulsedesk_shared::{ExportOptions, MemberInput, Owner, SharedError};
use sqlx::postgres::PgConnectOptions;
use std::io::BufRead;
use std::process::ExitCode;

const HELP: &str = "\
pulsedesk-admin — set up and manage a Pulsedesk shared team database

USAGE
  pulsedesk-admin [--url URL] COMMAND

  The owner's connection comes from --url, else PULSEDESK_ADMIN_URL, else the usual
  PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE variables. Prefer PGPASSWORD or
  ~/.pgpass to a password inside the URL (other users can see command lines).

COMMANDS
  init                                   create or upgrade the schema and its security
  member add NAME LOGIN ROLE             add a member (ROLE: agent, supervisor, admin);
                                         the password is read from standard input
  member disable LOGIN                   stop a member signing in; ends their sessions
  member enable LOGIN                    let a disabled member sign in again
  member role LOGIN ROLE                 change a member's role
  member password LOGIN                  set a new password, read from standard input
  service LOGIN                          make an admin member's login the team service's:
                                         pulsedesk-server signs in with it and applies
                                         every member's changes
  status                                 print the schema version and counts
  import FILE.csv [--dry-run] [--utc-offset HOURS]
                                         bring a team's ticket history in from a CSV
                                         tracking table (columns in the README; local
                                         times are read at UTC+8 unless told); all rows
                                         or none, every problem listed by line
  import-workspace FILE.db [--dry-run]
                                         move an embedded Pulsedesk workspace (the app's
                                         workspace.db) in: ticket types it lacks, every
                                         ticket with its timeline, every note; members
                                         are matched by name or login and must be added
                                         first; all or nothing, every problem listed
  export [--since YYYY-MM-DD] [--with-pii]
                                         write the ticket status tracking table as CSV
                                         to standard output (customers masked unless
                                         --with-pii; columns in the README)
  help                                   this text
";

fn usage(msg: &str) -> ExitCode {
    eprintln!("pulsedesk-admin: {msg}\nRun `pulsedesk-admin help` for usage.");
    ExitCode::from(2)
}

fn role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: use agent, supervisor or admin"))
}

/// One line from standard input, without its line end (never echoed back or logged).
fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("could not read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `--dry-run` and `--utc-offset HOURS` (default 8, China Standard Time).
fn import_flags(flags: &[&str]) -> Result<(bool, i32), String> {
    let (mut dry_run, mut offset) = (false, 8);
    let mut rest = flags.iter();
    while let Some(flag) = rest.next() {
        match *flag {
            "--dry-run" => dry_run = true,
            "--utc-offset" => {
                let v = rest
                    .next()
                    .ok_or("--utc-offset needs hours, e.g. 8 or -5")?;
                offset = v
                    .trim_start_matches('+')
                    .parse()
                    .ok()
                    .filter(|h: &i32| (-12..=14).contains(h))
                    .ok_or_else(|| {
                        format!("--utc-offset {v}: expected whole hours from -12 to 14")
                    })?;
            }
            other => return Err(format!("import: unknown option {other}")),
        }
    }
    Ok((dry_run, offset))
}

/// The file's problems, listed (at most 50), with the promise that nothing was written.
pub(crate) fn invalid_file(problems: Vec<String>) -> SharedError {
    let n = problems.len();
    let mut text: Vec<String> = problems.into_iter().take(50).collect();
    if n > 50 {
        text.push(format!("… and {} more", n - 50));
    }
    SharedError::Invalid {
        field: "file",
        reason: format!(
            "{n} problem(s); nothing was imported:\n  {}",
            text.join("\n  ")
        ),
    }
}

/// `--since YYYY-MM-DD` (UTC midnight) and `--with-pii`.
fn export_options(flags: &[&str]) -> Result<ExportOptions, String> {
    let mut options = ExportOptions::default();
    let mut rest = flags.iter();
    while let Some(flag) = rest.next() {
        match *flag {
            "--with-pii" => options.with_pii = true,
            "--since" => {
                let day = rest.next().ok_or("--since needs a date, e.g. 2026-01-01")?;
                let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map_err(|_| format!("--since {day}: expected a date like 2026-01-01"))?;
                options.since = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
            }
            other => return Err(format!("export: unknown option {other}")),
        }
    }
    Ok(options)
}

async fn run(owner: &Owner, args: &[&str]) -> Result<String, SharedError> {
    let invalid = |reason: String| SharedError::Invalid {
        field: "arguments",
        reason,
    };
    match args {
        ["init"] => {
            owner.migrate().await?;
            let s = owner.status().await?;
            Ok(format!(
                "schema ready in {} (version {})",
                s.database, s.schema_version
            ))
        }
        ["member", "add", name, login, r] => {
            let role = role(r).map_err(invalid)?;
            let password = read_password().map_err(invalid)?;
            let id = owner
                .add_member(&MemberInput {
                    name: (*name).into(),
                    login: (*login).into(),
                    role,
                    password,
                })
                .await?;
            Ok(format!(
                "added {name} ({login}, {}) as member {id}",
                role.as_str()
            ))
        }
        ["member", "disable", login] => {
            owner.disable(login).await?;
            Ok(format!("{login} can no longer sign in"))
        }
        ["member", "enable", login] => {
            owner.enable(login).await?;
            Ok(format!("{login} can sign in again"))
        }
        ["member", "role", login, r] => {
            let role = role(r).map_err(invalid)?;
            owner.set_role(login, role).await?;
            Ok(format!("{login} is now {}", role.as_str()))
        }
        ["member", "password", login] => {
            let password = read_password().map_err(invalid)?;
            owner.reset_password(login, &password).await?;
            Ok(format!("new password set for {login}"))
        }
        ["service", login] => {
            owner.make_service(login).await?;
            Ok(format!("{login} is now the team service's login"))
        }
        ["status"] => {
            let s = owner.status().await?;
            Ok(format!(
                "database {}\nschema version {}\nmembers: {} agents, {} supervisors, {} admins ({} disabled)\ntickets: {} ({} open)\nchanges in the feed: {}",
                s.database, s.schema_version, s.agents, s.supervisors, s.admins, s.disabled,
                s.tickets, s.open_tickets, s.changes
            ))
        }
        ["import", file, flags @ ..] => {
            let (dry_run, offset) = import_flags(flags).map_err(invalid)?;
            let rows = match csv_rows::read(std::path::Path::new(file), offset) {
                Ok(rows) => rows,
                Err(problems) => return Err(invalid_file(problems)),
            };
            let now = chrono::Utc::now();
            match owner.import_history(&rows, now, dry_run).await? {
                Ok(r) if dry_run => Ok(format!(
                    "{file}: {} tickets and {} customers would be imported (dry run: nothing written)",
                    r.tickets, r.customers
                )),
                Ok(r) => Ok(format!(
                    "imported {} tickets and {} customers from {file}",
                    r.tickets, r.customers
                )),
                Err(errors) => Err(invalid_file(
                    errors
                        .into_iter()
                        .map(|e| format!("line {}, {}: {}", e.line, e.column, e.reason))
                        .collect(),
                )),
            }
        }
        ["import-workspace", file, flags @ ..] => {
            let dry_run = match flags {
                [] => false,
                ["--dry-run"] => true,
                _ => return Err(invalid(format!("unknown option: {}", flags.join(" ")))),
            };
            workspace::import(owner, std::path::Path::new(file), dry_run).await
        }
        ["export", flags @ ..] => {
            let options = export_options(flags).map_err(invalid)?;
            let n = owner
                .export_tickets(std::io::stdout().lock(), &options)
                .await?;
            eprintln!("exported {n} tickets");
            Ok(String::new())
        }
        _ => Err(invalid(format!("unknown command: {}", args.join(" ")))),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut args: Vec<&str> = argv.iter().map(String::as_str).collect();
    if args.is_empty() || matches!(args.first(), Some(&"help" | &"--help" | &"-h")) {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let mut url = std::env::var("PULSEDESK_ADMIN_URL").ok();
    if args.first() == Some(&"--url") {
        let Some(u) = args.get(1) else {
            return usage("--url needs a value");
        };
        url = Some((*u).to_string());
        args.drain(..2);
    }
    let options = match url {
        Some(u) => match u.parse::<PgConnectOptions>() {
            Ok(o) => o,
            Err(e) => return usage(&format!("not a PostgreSQL URL: {e}")),
        },
        None => PgConnectOptions::new(),
    };
    let owner = match Owner::connect(options).await {
        Ok(o) => o,
        Err(e) => {
            eprintln!("pulsedesk-admin: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = run(&owner, &args).await;
    owner.pool().close().await;
    match result {
        Ok(out) => {
            if !out.is_empty() {
                println!("{out}");
            }
            ExitCode::SUCCESS
        }
        Err(SharedError::Invalid {
            field: "arguments",
            reason,
        }) => usage(&reason),
        Err(e) => {
            eprintln!("pulsedesk-admin: {e}");
            ExitCode::FAILURE
        }
    }
}
