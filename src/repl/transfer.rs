//! The shell's `:import`, `:export` and `:params load`: the command line's import and
//! export, with the same options, run on the open store.

use super::{Session, Shell};
use crate::cli::args::{ExportArgs, ImportArgs};
use crate::cli::transfer;
use clap::Parser;

/// `:import` and `:export` arguments, read as clap reads the command line.
#[derive(Debug, Parser)]
#[command(name = ":import", no_binary_name = true, disable_help_flag = true)]
struct ImportLine {
    #[command(flatten)]
    args: ImportArgs,
}

#[derive(Debug, Parser)]
#[command(name = ":export", no_binary_name = true, disable_help_flag = true)]
struct ExportLine {
    #[command(flatten)]
    args: ExportArgs,
}

/// Splits a command's arguments as a shell would (quotes group words).
fn words(arg: &str) -> Result<Vec<String>, String> {
    shlex::split(arg).ok_or_else(|| "unbalanced quotes in the arguments".to_string())
}

impl Session {
    /// `:import --format F FILE…`
    pub(super) fn import(&mut self, arg: &str) -> Result<(), String> {
        let line = ImportLine::try_parse_from(words(arg)?).map_err(|e| {
            format!(
                "{}usage: :import --format jsonl|neo4j-csv|kumu-json|kumu-csv ... \
                 (as `steward import`; see `steward import --help`)",
                e.render()
            )
        })?;
        let job = transfer::import_job(line.args).map_err(|e| e.to_readable())?;
        let result = transfer::run_import(&self.db, &job, &mut std::io::stdout());
        self.catalog.refresh();
        result.map_err(|e| e.to_readable())
    }

    /// `:export --format F [--query Q] [FILE]`
    pub(super) fn export(&mut self, arg: &str) -> Result<(), String> {
        let line = ExportLine::try_parse_from(words(arg)?).map_err(|e| {
            format!(
                "{}usage: :export --format jsonl|cypher|graphml|... [--query QUERY] [FILE] \
                 (as `steward export`; see `steward export --help`)",
                e.render()
            )
        })?;
        // The shell's parameters serve --query as they serve statements.
        let mut params = self.params.clone();
        if let Some(text) = &line.args.params {
            params.extend(crate::cli::params::parse(text).map_err(|e| e.to_string())?);
        }
        transfer::export_from(&self.db, line.args, &params).map_err(|e| e.to_readable())
    }

    /// `:params load FILE`
    pub(super) fn load_params(&mut self, file: &str, rl: &mut Shell) -> Result<(), String> {
        if file.is_empty() {
            return Err("usage: :params load FILE (a JSON object)".to_string());
        }
        let loaded =
            crate::cli::load_params(std::path::Path::new(file)).map_err(|e| e.to_readable())?;
        let n = loaded.len();
        self.params.extend(loaded);
        if let Some(h) = rl.helper_mut() {
            h.params = self.params.keys().cloned().collect();
        }
        let noun = if n == 1 { "parameter" } else { "parameters" };
        println!("{n} {noun} loaded from {file}");
        Ok(())
    }
}
