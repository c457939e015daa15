//! The built-in views: our own definitions, in csysdig's Lua view format, embedded in the binary.
//!
//! The files live in `tools/scap-top/views/`; each defines one `view_info` table. They are loaded
//! like any user view file (see `Catalogue::load`), so they also document the format.

/// (file name, Lua source) of every built-in view.
pub static VIEWS: &[(&str, &str)] = &[
    ("backlog.lua", include_str!("../../views/backlog.lua")),
    ("connections.lua", include_str!("../../views/connections.lua")),
    ("containers.lua", include_str!("../../views/containers.lua")),
    ("containers_errors.lua", include_str!("../../views/containers_errors.lua")),
    ("cores.lua", include_str!("../../views/cores.lua")),
    ("directories.lua", include_str!("../../views/directories.lua")),
    ("docker_events.lua", include_str!("../../views/docker_events.lua")),
    ("errors.lua", include_str!("../../views/errors.lua")),
    ("file_opens.lua", include_str!("../../views/file_opens.lua")),
    ("files.lua", include_str!("../../views/files.lua")),
    ("incoming_connections.lua", include_str!("../../views/incoming_connections.lua")),
    ("io_by_type.lua", include_str!("../../views/io_by_type.lua")),
    ("notifications.lua", include_str!("../../views/notifications.lua")),
    ("page_faults.lua", include_str!("../../views/page_faults.lua")),
    ("port_bindings.lua", include_str!("../../views/port_bindings.lua")),
    ("procs.lua", include_str!("../../views/procs.lua")),
    ("procs_cpu.lua", include_str!("../../views/procs_cpu.lua")),
    ("procs_errors.lua", include_str!("../../views/procs_errors.lua")),
    ("procs_fd_usage.lua", include_str!("../../views/procs_fd_usage.lua")),
    ("slow_io.lua", include_str!("../../views/slow_io.lua")),
    ("spans_list.lua", include_str!("../../views/spans_list.lua")),
    ("spans_summary.lua", include_str!("../../views/spans_summary.lua")),
    ("spectro_all.lua", include_str!("../../views/spectro_all.lua")),
    ("spectro_file.lua", include_str!("../../views/spectro_file.lua")),
    ("spectro_traces.lua", include_str!("../../views/spectro_traces.lua")),
    ("sports.lua", include_str!("../../views/sports.lua")),
    ("spy_syslog.lua", include_str!("../../views/spy_syslog.lua")),
    ("spy_users.lua", include_str!("../../views/spy_users.lua")),
    ("spy_users_wsysdig.lua", include_str!("../../views/spy_users_wsysdig.lua")),
    ("syscall_procs.lua", include_str!("../../views/syscall_procs.lua")),
    ("syscalls.lua", include_str!("../../views/syscalls.lua")),
    ("threads.lua", include_str!("../../views/threads.lua")),
    ("traces_list.lua", include_str!("../../views/traces_list.lua")),
    ("traces_summary.lua", include_str!("../../views/traces_summary.lua")),
];
