//! Command-line pieces shared by the scap binaries, flattened into each tool's own `Args`.

use clap::Args;

/// Where a stage reads its input.
#[derive(Args, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct InputArgs {
    /// Read from FILE instead of stdin (`-` is stdin)
    ///
    /// The format is recognized from the data: a scap stream (plain or zstd), a .scap trace
    /// (plain or gzip).
    #[arg(short = 'r', long = "read", value_name = "FILE", default_value = "-")]
    pub read: String,
}

/// Where a stage writes its stream.
#[derive(Args, Debug, Clone, Default)]
#[deny(missing_docs)]
pub struct OutputArgs {
    /// Write the stream to FILE instead of stdout
    #[arg(short = 'w', long = "write", value_name = "FILE")]
    pub write: Option<String>,
    /// Compress the stream with zstd
    #[arg(short = 'z', long = "compress")]
    pub compress: bool,
    /// Write binary output even when stdout is a terminal
    #[arg(long)]
    pub force: bool,
}
