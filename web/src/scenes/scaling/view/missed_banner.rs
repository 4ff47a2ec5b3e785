//! The naive rule's bug, kept on screen once it has happened: the fleet stays bigger than the
//! rule believes.

use super::text::secs;
use scalelab_core::scaling::{Lane, ServiceEvent};
use yew::prelude::*;

pub fn missed_banner(lane: &Lane) -> Html {
    let Some(ServiceEvent::ScaleInMissed {
        t,
        name,
        believed,
        actual,
    }) = lane.last_missed()
    else {
        return Html::default();
    };
    let what = format!(
        " at {}: tried to remove {name} which no longer exists. Nothing was removed, \
         but the naive rule now believes it runs {believed} instances while {actual} were running \
         ({} now). ",
        secs(*t),
        lane.service().fleet().active_count()
    );
    let count = lane.missed_count();
    let again = (count > 1).then(|| format!("This has happened {count} times. "));
    html! {
        <div class="notices" role="alert" style="border-color: var(--bad); border-left-width: 6px;">
            <strong style="color: var(--bad);">{"⚠ Scale-in missed"}</strong>
            {what}
            {again}
            <span class="muted">
                {"The guide deletes the instance named instance_<count>; after a removal out of order that name is gone."}
            </span>
        </div>
    }
}
