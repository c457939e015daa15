//! Cross-stage integration tests. Each module covers one area; see CONTRIBUTING.md.

mod chisel_cli;
mod chisel_corpus;
mod chisel_extras;
mod corpus_import;
mod enrich_cri;
mod enrich_docker;
mod enrich_formats;
mod enrich_live;
mod enrich_lookups;
mod filter_diff;
mod filter_pipe;
mod filter_state;
mod live_capture;
mod live_interop;
mod live_iov;
mod live_params;
mod live_procinfo;
mod live_scope;
mod print_corpus;
mod print_formats;
mod stream_errors;
mod sysdig_cli;
mod sysdig_ssh;
mod top_live;
mod top_tui;
mod top_views;
