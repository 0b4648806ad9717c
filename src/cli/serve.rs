//! `servicefit serve`, `user add`, `invite` and `export`: the web front end
//! and the commands that look after its database. Each opens the database
//! (creating and migrating it on first use) and calls `servicefit::web`.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use super::io::write_atomic;
use super::{CliError, EXIT_OK, EXIT_REJECTED_ROWS};
use servicefit::web::invite::{
    self, candidates_from_csv, Candidate, InviteSpec, DEFAULT_RETENTION_DAYS,
};
use servicefit::web::store::Store;
use servicefit::web::{clock, secret};

/// Where the database is.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// SQLite database file (created on first use), or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    db: String,
}

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Address and port to listen on (put a TLS reverse proxy in front of it).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

/// Arguments of `user`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add an assessor account; the password is read from stdin (one line).
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// The account name.
        name: String,
    },
}

/// Arguments of `invite`.
#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Role profile: a built-in id (see `servicefit roles`) or a profile file.
    #[arg(long, value_name = "ID|FILE")]
    role: String,
    /// Start of the links, as candidates will reach the server.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// Days the links work.
    #[arg(long, value_name = "DAYS", default_value_t = 14, value_parser = clap::value_parser!(i64).range(1..=3650))]
    expires: i64,
    /// CSV of candidates: a reference (or id) column, optional name and email columns.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Candidate references.
    #[arg(value_name = "REF")]
    references: Vec<String>,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Only this campaign (the id in the campaign's address).
    #[arg(long, value_name = "ID")]
    campaign: Option<String>,
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Runtime::new()?)
}

/// Runs `serve` until Ctrl-C or SIGTERM.
pub fn serve(args: ServeArgs) -> Result<u8, CliError> {
    runtime()?.block_on(async {
        let store = Store::open(&args.db.db).await?;
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
        // The address bound, not the one asked for: `--listen 127.0.0.1:0` picks a free port.
        let bound = listener.local_addr()?;
        say!(
            "serving on http://{bound} (database {}); Ctrl-C stops",
            args.db.db
        );
        servicefit::web::serve(store, listener).await?;
        Ok::<_, CliError>(EXIT_OK)
    })
}

/// Runs `user add`.
pub fn user(args: UserArgs) -> Result<u8, CliError> {
    let UserCommand::Add { db, name } = args.command;
    let mut password = String::new();
    std::io::stdin().take(4096).read_to_string(&mut password)?;
    let password = password.lines().next().unwrap_or("").to_string();
    if password.chars().count() < 8 {
        return Err("the password (read from stdin) must have at least 8 characters".into());
    }
    if name.trim().is_empty() || name.chars().any(char::is_control) {
        return Err("the account name must not be empty or hold control characters".into());
    }
    let hash = secret::hash_password(&password)?;
    runtime()?.block_on(async {
        let store = Store::open(&db.db).await?;
        store.add_assessor(&name, &hash, clock::now()).await?;
        Ok::<_, CliError>(())
    })?;
    say!("assessor '{name}' added");
    Ok(EXIT_OK)
}

/// Runs `invite`: prints `REFERENCE<TAB>LINK` per invitation made.
pub fn invite(args: InviteArgs) -> Result<u8, CliError> {
    let mut candidates: Vec<Candidate> = match &args.from {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            candidates_from_csv(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Vec::new(),
    };
    let mut named = invite::candidates_from_lines(&args.references.join("\n"))?;
    candidates.append(&mut named);
    if candidates.is_empty() {
        return Err("no candidate to invite: give references, or --from FILE".into());
    }
    let invited = runtime()?.block_on(async {
        let store = Store::open(&args.db.db).await?;
        let campaign =
            invite::campaign_for_role(&store, &args.role, "", DEFAULT_RETENTION_DAYS).await?;
        let spec = InviteSpec {
            campaign_id: &campaign.spec.id,
            base_url: &args.base_url,
            expires_days: args.expires,
            candidates: &candidates,
        };
        Ok::<_, CliError>(invite::invite(&store, &spec).await?)
    })?;
    let mut out = std::io::stdout().lock();
    for (reference, link) in &invited.links {
        writeln!(out, "{reference}\t{link}")?;
    }
    out.flush()?;
    for problem in &invited.problems {
        say!("not invited: {problem}");
    }
    Ok(if invited.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED_ROWS
    })
}

/// Runs `export`.
pub fn export(args: ExportArgs) -> Result<u8, CliError> {
    let rt = runtime()?;
    let store = rt.block_on(Store::open(&args.db.db))?;
    let mut bytes = Vec::new();
    let count = rt.block_on(servicefit::web::export::export(
        &store,
        args.campaign.as_deref(),
        &mut bytes,
    ))?;
    match &args.out {
        Some(path) if path.as_os_str() != "-" => write_atomic(path, |out| out.write_all(&bytes))?,
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    say!("{count} submitted questionnaire(s) exported");
    Ok(EXIT_OK)
}
