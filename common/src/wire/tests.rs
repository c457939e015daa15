//! Round-trip, snapshot and damage tests of the frame codec.

use super::*;
use proptest::prelude::*;

fn bytes() -> impl Strategy<Value = Bytes> {
    proptest::collection::vec(any::<u8>(), 0..24).prop_map(Bytes::from)
}

fn text() -> impl Strategy<Value = String> {
    "[a-z0-9:/._-]{0,12}"
}

fn event() -> impl Strategy<Value = Event> {
    (
        any::<u64>(),
        any::<u64>(),
        any::<i64>(),
        any::<u16>(),
        any::<u16>(),
        any::<u32>(),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 0..6),
    )
        .prop_map(|(num, ts, tid, cpu, event_type, flags, params)| {
            let refs: Vec<&[u8]> = params.iter().map(|p| p.as_slice()).collect();
            let mut e = Event::from_params(num, ts, tid, cpu, event_type, &refs);
            e.flags = flags;
            e
        })
}

fn thread() -> impl Strategy<Value = ThreadRecord> {
    (
        any::<i64>(),
        any::<i64>(),
        bytes(),
        proptest::collection::vec(bytes(), 0..4),
        proptest::collection::vec((text(), bytes()), 0..3),
        any::<u32>(),
        text(),
    )
        .prop_map(|(tid, pid, comm, args, cgroups, uid, container_id)| ThreadRecord {
            tid,
            pid,
            comm,
            args,
            cgroups,
            uid,
            container_id,
            ..ThreadRecord::default()
        })
}

fn fd() -> impl Strategy<Value = FdRecord> {
    (
        any::<i64>(),
        any::<i64>(),
        any::<u8>(),
        bytes(),
        proptest::option::of((bytes(), bytes(), any::<u16>(), any::<u16>(), any::<u8>())),
    )
        .prop_map(|(tid, fd, fd_type, name, sock)| FdRecord {
            tid,
            fd,
            fd_type,
            name,
            socket: sock.map(|(sip, dip, sport, dport, l4proto)| SocketInfo { sip, dip, sport, dport, l4proto }),
            ..FdRecord::default()
        })
}

fn frame() -> impl Strategy<Value = Frame> {
    prop_oneof![
        event().prop_map(Frame::Event),
        (text(), any::<u32>()).prop_map(|(hostname, snaplen)| Frame::Header(Header {
            version: VERSION,
            writer: "test".into(),
            source: hostname.clone(),
            machine: MachineInfo { hostname, num_cpus: 2, ..MachineInfo::default() },
            snaplen,
            features: vec![],
        })),
        thread().prop_map(Frame::Thread),
        fd().prop_map(Frame::Fd),
        (any::<u32>(), any::<u32>(), text()).prop_map(|(uid, gid, name)| Frame::User(UserRecord {
            uid,
            gid,
            name,
            ..UserRecord::default()
        })),
        (any::<u32>(), text()).prop_map(|(gid, name)| Frame::Group(GroupRecord {
            gid,
            name,
            container_id: String::new()
        })),
        (text(), bytes()).prop_map(|(name, addr)| Frame::Interface(InterfaceRecord {
            name,
            addr,
            ..InterfaceRecord::default()
        })),
        (text(), text(), proptest::collection::vec((text(), text()), 0..3)).prop_map(|(id, name, labels)| {
            Frame::Container(ContainerRecord { id, name, labels, ..ContainerRecord::default() })
        }),
        (any::<u64>(), any::<u64>()).prop_map(|(ts, drops)| Frame::Stats(Stats {
            ts,
            cpus: vec![CpuStats { cpu: 1, events: 5, drops_buffer: drops, drops_other: 0 }]
        })),
        (any::<u64>(), text()).prop_map(|(n, reason)| Frame::End(End { n_events: n, n_drops: 0, reason })),
        any::<i64>().prop_map(|tid| Frame::ThreadGone(ThreadGone { tid })),
    ]
}

proptest! {
    #[test]
    fn every_frame_kind_round_trips(f in frame()) {
        let mut buf = Vec::new();
        encode_frame(&f, &mut buf);
        let len = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        prop_assert_eq!(len + 4, buf.len());
        prop_assert_eq!(&decode_frame(&buf[4..]).expect("decodes"), &f);
        // Into a slot that holds an event already (the reader's hot path).
        let mut slot = Frame::Event(Event::from_params(9, 9, 9, 9, 9, &[&[9u8; 50]]));
        decode_frame_into(&buf[4..], &mut slot).expect("decodes into a slot");
        prop_assert_eq!(slot, f);
    }

    #[test]
    fn garbage_into_an_event_slot_never_panics(data in proptest::collection::vec(any::<u8>(), 0..60)) {
        let mut slot = Frame::Event(Event::default());
        let mut framed = vec![0x89, 0x01];
        framed.extend_from_slice(&data);
        let _ = decode_frame_into(&framed, &mut slot);
        let _ = decode_frame_into(&data, &mut slot);
    }

    #[test]
    fn event_frames_are_plain_cbor(e in event()) {
        let mut buf = Vec::new();
        encode_frame(&Frame::Event(e.clone()), &mut buf);
        let v: ciborium::Value = ciborium::from_reader(&buf[4..]).expect("ciborium reads it");
        let items = v.as_array().expect("array").clone();
        prop_assert_eq!(items.len(), 9);
        prop_assert_eq!(items[8].as_bytes().expect("bytes"), &e.raw);
    }

    #[test]
    fn borrowed_events_write_the_same_bytes(e in event()) {
        let mut a = FrameWriter::new(Vec::new());
        a.write(&Frame::Event(e.clone())).expect("write");
        let mut b = FrameWriter::new(Vec::new());
        b.write_event(&e.as_ref()).expect("write");
        prop_assert_eq!(b.n_events(), 1);
        prop_assert_eq!(a.into_inner().expect("flush"), b.into_inner().expect("flush"));
        prop_assert_eq!(e.as_ref().to_event(), e);
    }

    #[test]
    fn event_heads_take_the_shortest_form(
        (num, ts, tid, cpu, event_type, flags, n_params) in (
            edgy(),
            edgy(),
            edgy().prop_map(|v| v as i64),
            edgy().prop_map(|v| v as u16),
            edgy().prop_map(|v| v as u16),
            edgy().prop_map(|v| v as u32),
            edgy().prop_map(|v| v as u32),
        ),
        raw in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let e = Event { num, ts, tid, cpu, event_type, flags, n_params, raw };
        let mut got = vec![0xee];
        cbor::encode_event_ref(&e.as_ref(), &mut got);
        let mut want = vec![0xee];
        cbor::write_head(&mut want, 4, 9);
        cbor::write_head(&mut want, 0, kind::EVENT);
        cbor::write_head(&mut want, 0, num);
        cbor::write_head(&mut want, 0, ts);
        if tid >= 0 {
            cbor::write_head(&mut want, 0, tid as u64);
        } else {
            cbor::write_head(&mut want, 1, !(tid as u64));
        }
        for v in [u64::from(cpu), u64::from(event_type), u64::from(flags), u64::from(n_params)] {
            cbor::write_head(&mut want, 0, v);
        }
        cbor::write_head(&mut want, 2, e.raw.len() as u64);
        want.extend_from_slice(&e.raw);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn garbage_never_panics(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_frame(&data);
        let mut r = FrameReader::new(&data[..]);
        for _ in 0..10 {
            if r.next_frame().is_err() { break; }
        }
    }
}

proptest! {
    // Damage that the fast path must hand to the slow one is rare among random edits.
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn event_frames_read_in_place_decode_as_the_cursor_does(
        e in event(),
        (num, ts, tid) in (edgy(), edgy(), edgy().prop_map(|v| v as i64)),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        cut in proptest::option::of(any::<prop::sample::Index>()),
        extra in proptest::collection::vec(any::<u8>(), 0..4),
    ) {
        // An event frame, perhaps damaged (bytes changed, cut short, or with bytes after its
        // item), read by a reader into an event slot, against `decode_frame_into`.
        let e = Event { num, ts, tid, ..e };
        let mut frame = Vec::new();
        cbor::encode_event(&e, &mut frame);
        for (at, b) in edits {
            // Mostly among the heads, in the first 56 bytes.
            let i = at.index(frame.len().min(56));
            frame[i] = b;
        }
        if let Some(c) = cut {
            frame.truncate(c.index(frame.len() + 1));
        }
        frame.extend_from_slice(&extra);
        let mut bytes = stream(&[header()]);
        bytes.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&frame);
        let mut r = FrameReader::new(&bytes[..]);
        let mut slot = Frame::Unknown(0);
        prop_assert!(r.next_into(&mut slot).expect("header"));
        let mut slot = Frame::Event(Event::default());
        let got = r.next_into(&mut slot).map(|_| slot);
        let mut want = Frame::Event(Event::default());
        match (got, decode_frame_into(&frame, &mut want)) {
            (Ok(got), Ok(())) => prop_assert_eq!(got, want),
            (Err(_), Err(_)) => {}
            (got, want) => prop_assert!(false, "reader {:?}, decoder {:?}", got, want),
        }
        prop_assert_eq!(r.offset(), bytes.len() as u64);
    }
}

/// Integers near the edges of the CBOR head forms (and of the narrower fields), or anything.
fn edgy() -> impl Strategy<Value = u64> {
    let edges = [0u64, 23, 24, 255, 256, 65535, 65536, (1 << 24) - 1, 1 << 24, u32::MAX as u64, 1 << 32, u64::MAX];
    prop_oneof![
        proptest::sample::select(edges.to_vec()),
        (proptest::sample::select(edges.to_vec()), -2i64..=2).prop_map(|(v, d)| v.wrapping_add(d as u64)),
        any::<u64>(),
    ]
}

fn stream(frames: &[Frame]) -> Vec<u8> {
    let mut w = FrameWriter::new(Vec::new());
    for f in frames {
        w.write(f).expect("write to vec");
    }
    w.into_inner().expect("flush to vec")
}

fn header() -> Frame {
    Frame::Header(Header { version: VERSION, writer: "test".into(), ..Header::default() })
}

#[test]
fn reader_reads_a_complete_stream() {
    let ev = Frame::Event(Event::from_params(1, 10, 7, 0, 3, &[b"x"]));
    let data = stream(&[header(), ev.clone(), Frame::End(End::default())]);
    let mut r = FrameReader::new(&data[..]);
    assert!(matches!(r.next_frame(), Ok(Some(Frame::Header(_)))));
    assert_eq!(r.next_frame().expect("event"), Some(ev));
    assert!(matches!(r.next_frame(), Ok(Some(Frame::End(_)))));
    assert!(matches!(r.next_frame(), Ok(None)));
}

#[test]
fn reader_reports_a_missing_end_with_its_offset() {
    let data = stream(&[header(), Frame::Event(Event::from_params(1, 10, 7, 0, 3, &[]))]);
    let mut r = FrameReader::new(&data[..]);
    r.next_frame().expect("header");
    r.next_frame().expect("event");
    let err = r.next_frame().expect_err("cut");
    assert_eq!(err.to_string(), format!("stream cut at byte {}: no end frame", data.len()));
}

#[test]
fn reader_reports_truncation_inside_a_frame() {
    let data = stream(&[header(), Frame::Event(Event::from_params(1, 10, 7, 0, 3, &[b"abcdef"]))]);
    let header_len = {
        let mut b = Vec::new();
        encode_frame(&header(), &mut b);
        b.len()
    };
    let cut = &data[..data.len() - 3];
    let mut r = FrameReader::new(cut);
    r.next_frame().expect("header");
    let err = r.next_frame().expect_err("truncated");
    assert!(matches!(err, WireError::Truncated { offset, .. } if offset == header_len as u64), "{err}");
}

#[test]
fn reader_refuses_a_newer_major_version() {
    let data = stream(&[Frame::Header(Header { version: (VERSION.0 + 1, 0), ..Header::default() })]);
    let err = FrameReader::new(&data[..]).next_frame().expect_err("version");
    assert!(matches!(err, WireError::Version(..)));
}

#[test]
fn unknown_frame_kinds_are_skipped() {
    let mut data = stream(&[header()]);
    // A frame of kind 99 with extra content a newer writer might add.
    let item = [0x82u8, 0x18, 99, 0x43, 1, 2, 3];
    data.extend_from_slice(&(item.len() as u32).to_le_bytes());
    data.extend_from_slice(&item);
    data.extend_from_slice(&stream(&[Frame::End(End::default())])[..]);
    let mut r = FrameReader::new(&data[..]);
    r.next_frame().expect("header");
    assert_eq!(r.next_frame().expect("unknown"), Some(Frame::Unknown(99)));
    assert!(matches!(r.next_frame(), Ok(Some(Frame::End(_)))));
}

/// The exact bytes of each frame kind. Changing them changes the format: bump `VERSION`.
#[test]
fn frame_bytes_snapshot() {
    let cases: Vec<(Frame, &str)> = vec![
        (
            Frame::Event(Event::from_params(1, 2, -1, 3, 4, &[b"ab"])),
            "0e000000 89 01 01 02 20 03 04 00 01 44 0200 6162",
        ),
        (Frame::ThreadGone(ThreadGone { tid: 5 }), "08000000 82 0a a1 63746964 05"),
        (
            Frame::End(End { n_events: 1, n_drops: 0, reason: "eof".into() }),
            "21000000 82 09 a3 686e5f6576656e7473 01 676e5f64726f7073 00 66726561736f6e 63656f66",
        ),
    ];
    for (frame, hex) in cases {
        let mut buf = Vec::new();
        encode_frame(&frame, &mut buf);
        let got: String = buf.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, hex.replace(' ', ""), "{frame:?}");
    }
}

/// An event of every schema type, with as many parameters as the schema lists, round-trips.
#[test]
fn every_schema_type_round_trips_through_a_frame() {
    for t in 0..crate::schema::EVENT_MAX {
        let info = crate::schema::event_info(t).expect("schema entry");
        let values: Vec<Vec<u8>> = (0..info.params.len()).map(|i| vec![i as u8; i % 5]).collect();
        let refs: Vec<&[u8]> = values.iter().map(|v| v.as_slice()).collect();
        let e = Event::from_params(u64::from(t), 1_700_000_000_000_000_000, 42, 1, t, &refs);
        let mut buf = Vec::new();
        encode_frame(&Frame::Event(e.clone()), &mut buf);
        let back = decode_frame(&buf[4..]).expect("decodes");
        assert_eq!(back, Frame::Event(e.clone()), "type {t} ({})", info.name);
        let Frame::Event(back) = back else { unreachable!() };
        assert_eq!(back.params().collect::<Vec<_>>(), refs, "type {t} parameters");
    }
}

/// A source that hands out its bytes a few at a time, as a pipe may.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn reader_reads_frames_that_arrive_in_pieces() {
    let big = Frame::Event(Event::from_params(2, 20, 7, 0, 3, &[&vec![7u8; 600_000]]));
    let frames: Vec<Frame> = std::iter::once(header())
        .chain(
            (0..500).map(|i| Frame::Event(Event::from_params(i, i * 10, 7, 0, 3, &[&vec![i as u8; i as usize % 97]]))),
        )
        .chain([big, Frame::End(End::default())])
        .collect();
    let data = stream(&frames);
    for step in [1, 3, 4, 5, 4096, 1 << 20] {
        let mut r = FrameReader::new(Trickle { data: &data, step });
        let mut slot = Frame::Unknown(0);
        let mut got = Vec::new();
        while r.next_into(&mut slot).expect("frame") {
            got.push(slot.clone());
        }
        assert_eq!(got, frames, "step {step}");
        assert_eq!(r.offset(), data.len() as u64);
    }
}

#[test]
fn frame_ready_says_whether_a_whole_frame_is_buffered() {
    let ev = Frame::Event(Event::from_params(1, 10, 7, 0, 3, &[b"x"]));
    let data = stream(&[header(), ev.clone(), ev, Frame::End(End::default())]);
    let mut r = FrameReader::new(&data[..]);
    assert!(!r.frame_ready());
    r.next_frame().expect("header");
    // The slice was read whole: the rest is buffered.
    assert!(r.frame_ready());
    let mut r = FrameReader::new(Trickle { data: &data, step: 1 });
    r.next_frame().expect("header");
    assert!(!r.frame_ready());
}

#[test]
fn events_decoded_into_a_slot_reuse_its_buffer() {
    let a = Event::from_params(1, 10, 7, 0, 3, &[&[1u8; 100]]);
    let b = Event::from_params(2, 20, -8, 1, 4, &[b"ab"]);
    let mut buf = Vec::new();
    encode_frame(&Frame::Event(b.clone()), &mut buf);
    let mut slot = Frame::Event(a);
    let before = match &slot {
        Frame::Event(e) => e.raw.as_ptr(),
        _ => unreachable!(),
    };
    decode_frame_into(&buf[4..], &mut slot).expect("decodes");
    match &slot {
        Frame::Event(e) => {
            assert_eq!(e, &b);
            assert_eq!(e.raw.as_ptr(), before);
        }
        other => panic!("{other:?}"),
    }
    let mut buf2 = Vec::new();
    encode_frame(&Frame::ThreadGone(ThreadGone { tid: 3 }), &mut buf2);
    decode_frame_into(&buf2[4..], &mut slot).expect("decodes");
    assert_eq!(slot, Frame::ThreadGone(ThreadGone { tid: 3 }));
}

proptest! {
    #[test]
    fn records_take_the_fast_decoder(t in thread(), f in fd()) {
        let mut buf = Vec::new();
        encode_record(&t, &mut buf);
        prop_assert_eq!(cbor::decode_record_fast::<ThreadRecord>(&buf), Some(t));
        buf.clear();
        encode_record(&f, &mut buf);
        prop_assert_eq!(cbor::decode_record_fast::<FdRecord>(&buf), Some(f));
    }
}

#[test]
fn the_fast_record_decoder_leaves_odd_cbor_to_ciborium() {
    // Unknown keys of every shape are skipped; a float is left to ciborium.
    let v = ciborium::Value::Map(vec![
        (ciborium::Value::Text("tid".into()), ciborium::Value::Integer(5.into())),
        (
            ciborium::Value::Text("newer".into()),
            ciborium::Value::Array(vec![ciborium::Value::Bool(true), ciborium::Value::Null]),
        ),
    ]);
    let mut buf = Vec::new();
    ciborium::into_writer(&v, &mut buf).expect("encodes");
    assert_eq!(cbor::decode_record_fast::<ThreadGone>(&buf), Some(ThreadGone { tid: 5 }));
    let v = ciborium::Value::Map(vec![(ciborium::Value::Text("x".into()), ciborium::Value::Float(1.5))]);
    buf.clear();
    ciborium::into_writer(&v, &mut buf).expect("encodes");
    assert_eq!(cbor::decode_record_fast::<ThreadGone>(&buf), None);
    assert_eq!(decode_record::<ThreadGone>(&buf), Ok(ThreadGone { tid: 0 }));
    // Deep nesting in an unknown key is refused, not recursed into.
    let mut deep = vec![0xa1, 0x61, b'x'];
    deep.extend(std::iter::repeat_n(0x81, 100_000));
    deep.push(0x00);
    assert_eq!(cbor::decode_record_fast::<ThreadGone>(&deep), None);
}
