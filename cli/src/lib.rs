//! `scalelab`: the playground's engine on the command line.
//!
//! ```sh
//! scalelab run --link 'https://…/?scene=caching&seed=7&step=2000'   # run a link, print a summary
//! scalelab run scalelab-sharding-seed42.json --until 90s --csv out.csv  # a scenario file, to a time
//! scalelab lesson check web/lessons/lru-vs-fifo.json                   # validate, print every answer
//! scalelab lesson readouts                                             # what a lesson can ask each scene
//! scalelab lesson read 'scene=sharding&step=500' keys_moved            # one state's readouts
//! ```
//!
//! Everything runs the same code the page runs, natively: a link or a scenario file opens
//! exactly the state it opens in the browser, and `--csv`/`--json` write the file the page's
//! Export buttons save for that state.
//!
//! Exit status: 0 on success; 1 when a lesson file has a problem or an output file cannot be
//! written; 2 for a usage error or input that cannot run (a file that cannot be read, is not a
//! scenario, or a link with a problem), with the problem named on standard error.

mod lesson;
mod run;
mod time_arg;

use std::io::Write;

/// `writeln!` that stops quietly when the reader has gone (`scalelab lesson check … | head`)
/// instead of failing on the broken pipe.
#[macro_export]
#[doc(hidden)]
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// What `scalelab --help` prints.
pub const HELP: &str = "\
scalelab: the Scalelab simulations on the command line

usage:
  scalelab run FILE [--step N | --until TIME] [--csv OUT] [--json OUT]
  scalelab run --link LINK [--step N | --until TIME] [--csv OUT] [--json OUT]
  scalelab lesson check FILE...
  scalelab lesson readouts
  scalelab lesson read QUERY READOUT...
  scalelab --help

run
  Opens a state exactly as the page does and runs it headless, then prints a summary: the
  scene, seed, step and simulated time, every charted metric and every readout a lesson can
  ask for.
  FILE          a scenario file: the JSON a page's Export JSON saves, or one written by hand
                ({\"scene\": \"sharding\", \"seed\": 42, \"params\": {...}, \"ops\": \"...\", \"step\": 300})
  --link LINK   a page's link (Copy link), or just its query (scene=caching&seed=7&step=2000)
  --step N      run to step N instead of the step the file or link holds (0 to 1000000)
  --until TIME  run until the simulated clock reaches TIME: 90s, 1500ms, 2m, 1h, 250us
                (a bare number is seconds)
  --csv OUT     write the CSV the page's Export CSV saves for this state (OUT `-`: standard output)
  --json OUT    write the JSON the page's Export JSON saves for this state (OUT `-`: standard output)
  When a file goes to standard output the summary is not printed.

lesson
  check FILE...        read lesson files as the browser does; print every problem, or each
                       question's answer as the simulation computes it and each task's condition
  readouts             every readout a lesson can name, scene by scene
  read QUERY READOUT...  the readouts' values in one state

exit status: 0 done; 1 a lesson has a problem or an output could not be written;
             2 a usage error, or a file or link that cannot run (the problem is named)
";

/// Runs the command `args` (without the program's name), writing its report to `out` and
/// problems to `err`; returns the exit status.
pub fn main_with(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["--help" | "-h" | "help"] => {
            say!(out, "{HELP}");
            0
        }
        ["run", rest @ ..] => run::command(rest, out, err),
        ["lesson", "check", files @ ..] if !files.is_empty() => {
            let mut ok = true;
            for file in files {
                ok &= lesson::check(out, file);
            }
            u8::from(!ok)
        }
        ["lesson", "read", query, readouts @ ..] if !readouts.is_empty() => {
            u8::from(!lesson::read(out, query, readouts))
        }
        ["lesson", "readouts"] => {
            lesson::print_readouts(out);
            0
        }
        _ => {
            say!(err, "{HELP}");
            2
        }
    }
}
