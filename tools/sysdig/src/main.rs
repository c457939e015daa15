//! sysdig: the classic command line over the scap stages (see the library's docs).

fn main() {
    let argv: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    std::process::exit(sysdig::main_with(&argv));
}
