//! `scalelab`: see [`scalelab_cli`] and `scalelab --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status = scalelab_cli::main_with(&args, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(status)
}
