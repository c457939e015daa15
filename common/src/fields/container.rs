//! The `container` and `k8s` fields. Their values follow sysdig's rules as `crate::containers`
//! implements them; this file maps field names and arguments onto it.

use super::{Ctx, FieldArg, Value};
use crate::containers::{container_field_of, k8s_field_of, ContainerField as C, K8sField as K, MountKey};

/// A container field's value, for the event's thread: a thread of the table, or the one a
/// container event is attributed to (which shows its container like any other).
fn cf<'a>(c: &Ctx<'a>, f: C) -> Option<Value<'a>> {
    container_field_of(c.state, c.thread()?, &f).map(Value::owned)
}

fn kf<'a>(c: &Ctx<'a>, f: K) -> Option<Value<'a>> {
    k8s_field_of(c.state, c.thread()?, &f).map(Value::owned)
}

fn key(a: &FieldArg) -> Option<MountKey> {
    match a {
        FieldArg::Index(i) => Some(MountKey::Index(usize::try_from(*i).ok()?)),
        FieldArg::Name(n) => Some(MountKey::parse(n)),
        FieldArg::None => None,
    }
}

fn name(a: &FieldArg) -> String {
    match a {
        FieldArg::Name(n) => n.clone(),
        FieldArg::Index(i) => i.to_string(),
        FieldArg::None => String::new(),
    }
}

pub fn id<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Id)
}
pub fn name_<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Name)
}
pub fn image<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Image)
}
pub fn image_id<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::ImageId)
}
pub fn image_repo<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::ImageRepository)
}
pub fn image_tag<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::ImageTag)
}
pub fn image_digest<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::ImageDigest)
}
pub fn ctype<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Type)
}
pub fn privileged<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Privileged).map(|v| Value::Bool(v.as_bytes() == Some(b"true")))
}
pub fn mounts<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Mounts)
}
pub fn mount<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Mount(key(a)?))
}
pub fn mount_source<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::MountSource(key(a)?))
}
pub fn mount_dest<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::MountDest(key(a)?))
}
pub fn mount_mode<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::MountMode(key(a)?))
}
pub fn mount_rdwr<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::MountRdwr(key(a)?))
}
pub fn mount_propagation<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::MountPropagation(key(a)?))
}
pub fn healthcheck<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Healthcheck)
}
pub fn liveness<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::LivenessProbe)
}
pub fn readiness<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::ReadinessProbe)
}
pub fn label<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Label(name(a)))
}
pub fn labels<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Labels)
}
pub fn ip<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
    cf(c, C::Ip)
}

macro_rules! k8s {
    ($($fname:ident => $variant:ident),* $(,)?) => {
        $(pub fn $fname<'a>(c: &Ctx<'a>, _: &FieldArg) -> Option<Value<'a>> {
            kf(c, K::$variant)
        })*
    };
}
macro_rules! k8s_arg {
    ($($fname:ident => $variant:ident),* $(,)?) => {
        $(pub fn $fname<'a>(c: &Ctx<'a>, a: &FieldArg) -> Option<Value<'a>> {
            kf(c, K::$variant(name(a)))
        })*
    };
}

k8s!(
    k8s_pod_name => PodName, k8s_pod_id => PodId, k8s_pod_labels => PodLabels,
    k8s_rc_name => RcName, k8s_rc_id => RcId, k8s_rc_labels => RcLabels,
    k8s_svc_name => SvcName, k8s_svc_id => SvcId, k8s_svc_labels => SvcLabels,
    k8s_ns_name => NsName, k8s_ns_id => NsId, k8s_ns_labels => NsLabels,
    k8s_rs_name => RsName, k8s_rs_id => RsId, k8s_rs_labels => RsLabels,
    k8s_deployment_name => DeploymentName, k8s_deployment_id => DeploymentId,
    k8s_deployment_labels => DeploymentLabels,
);
k8s_arg!(
    k8s_pod_label => PodLabel, k8s_rc_label => RcLabel, k8s_svc_label => SvcLabel,
    k8s_ns_label => NsLabel, k8s_rs_label => RsLabel, k8s_deployment_label => DeploymentLabel,
);
