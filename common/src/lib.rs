//! scap-common: the pieces every scap stage shares.
//!
//! - `schema`: every libscap event type, its parameters and how to print them;
//! - `event`: `Event`, one captured event with its parameters in libscap's layout;
//! - `wire`: the framed-CBOR stream (`Frame`, `FrameReader`, `FrameWriter`);
//! - `scap`: reading libscap's `.scap` trace files;
//! - `input`: opening any input without being told its format (`Source`);
//! - `cgroup`: which container a thread runs in, from its cgroup paths;
//! - `containers`: the values of the `container.*` and `k8s.*` fields, by sysdig's rules;
//! - `k8s`: Kubernetes objects described by the `k8s` metaevents of older captures;
//! - `render`: event parameters as sysdig prints them (`evt.info`, buffers, JSON text);
//! - `state`: the state engine every consumer rebuilds from the stream (`State`);
//! - `stage`: the `Stage` trait and the runners that connect stages to pipes or channels;
//! - `exit`: exit codes and the top-level error printer.
//!
//! `common` performs I/O only on readers and writers it is handed, and holds no global state.
//!
//! ```
//! use scap_common::{event::Event, wire::{Frame, FrameReader, FrameWriter, Header}};
//! let mut w = FrameWriter::new(Vec::new());
//! w.write(&Frame::Header(Header::default())).unwrap();
//! w.write(&Frame::Event(Event::from_params(1, 0, 42, 0, 2, &[]))).unwrap();
//! let bytes = w.into_inner().unwrap();
//! let mut r = FrameReader::new(&bytes[..]);
//! assert!(matches!(r.next_frame().unwrap(), Some(Frame::Header(_))));
//! ```

#![deny(missing_docs)]

pub mod cgroup;
pub mod cli;
pub mod containers;
pub mod counting;
pub mod event;
pub mod exit;
pub mod fields;
pub mod input;
pub mod k8s;
pub mod render;
pub mod scap;
pub mod schema;
pub mod stage;
pub mod state;
pub mod wire;
