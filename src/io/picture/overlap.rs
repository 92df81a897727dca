//! Moves node boxes apart until no two overlap, keeping their arrangement. Two boxes
//! joined by an edge are kept further apart, by the room their edge's label needs.
//!
//! First overlapping pairs are pushed apart along the axis where they overlap least, a few
//! rounds at a time (found with a sweep over the boxes sorted by their left side). Whatever
//! still overlaps after that is removed by spreading all centres out from the middle by the
//! smallest factor that separates every pair, which always succeeds because no two centres
//! are equal.

use super::stress::Point;

/// Rounds of pushing at most.
const MAX_ROUNDS: usize = 400;

/// A box by its centre and half its width and height (padding included).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extent {
    /// Half the width.
    pub(crate) half_w: f64,
    /// Half the height.
    pub(crate) half_h: f64,
}

/// The free space wanted between boxes: `gap` between any two, and for two joined by an
/// edge, the room listed in `rooms` (`(other, room)` by node).
pub(crate) struct Gaps<'a> {
    /// Between any two boxes.
    pub(crate) gap: f64,
    /// Between neighbours.
    pub(crate) rooms: &'a [Vec<(usize, f64)>],
}

impl Gaps<'_> {
    /// The space wanted between boxes i and j.
    fn between(&self, i: usize, j: usize) -> f64 {
        self.rooms[i]
            .iter()
            .find(|(n, _)| *n == j)
            .map_or(self.gap, |&(_, room)| room.max(self.gap))
    }

    /// The most space wanted between any two boxes.
    fn widest(&self) -> f64 {
        self.rooms
            .iter()
            .flatten()
            .map(|&(_, room)| room)
            .fold(self.gap, f64::max)
    }
}

/// Moves `centres` until boxes of the given extents, with the gaps wanted between them, no
/// longer overlap.
pub(crate) fn remove(centres: &mut [Point], extents: &[Extent], gaps: &Gaps) {
    make_distinct(centres);
    for _ in 0..MAX_ROUNDS {
        if !push_round(centres, extents, gaps) {
            return;
        }
    }
    spread(centres, extents, gaps);
}

/// How far boxes i and j overlap along x and y (both positive when they overlap).
fn overlap(centres: &[Point], extents: &[Extent], gaps: &Gaps, i: usize, j: usize) -> (f64, f64) {
    let gap = gaps.between(i, j);
    let dx = (centres[i].x - centres[j].x).abs();
    let dy = (centres[i].y - centres[j].y).abs();
    let need_x = extents[i].half_w + extents[j].half_w + gap;
    let need_y = extents[i].half_h + extents[j].half_h + gap;
    (need_x - dx, need_y - dy)
}

/// One round of pushing; returns whether any pair overlapped.
fn push_round(centres: &mut [Point], extents: &[Extent], gaps: &Gaps) -> bool {
    let window = gaps.widest();
    let mut order: Vec<usize> = (0..centres.len()).collect();
    order.sort_by(|&a, &b| {
        let left = |i: usize| centres[i].x - extents[i].half_w;
        left(a).total_cmp(&left(b)).then(a.cmp(&b))
    });
    let mut any = false;
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            let right_i = centres[i].x + extents[i].half_w + window;
            if centres[j].x - extents[j].half_w >= right_i {
                break;
            }
            let (ox, oy) = overlap(centres, extents, gaps, i, j);
            if ox > 0.0 && oy > 0.0 {
                any = true;
                push_apart(centres, i, j, ox, oy);
            }
        }
    }
    any
}

/// Moves i and j apart by half the overlap each, along the axis that needs the shorter move
/// (a little more, so that pushing ends).
fn push_apart(centres: &mut [Point], i: usize, j: usize, ox: f64, oy: f64) {
    if ox < oy {
        let sign = direction(centres[j].x - centres[i].x, i, j);
        let step = ox / 2.0 + 0.5;
        centres[i].x -= sign * step;
        centres[j].x += sign * step;
    } else {
        let sign = direction(centres[j].y - centres[i].y, i, j);
        let step = oy / 2.0 + 0.5;
        centres[i].y -= sign * step;
        centres[j].y += sign * step;
    }
}

/// +1 when j should move towards larger coordinates, −1 otherwise; ties go by index.
fn direction(delta: f64, i: usize, j: usize) -> f64 {
    if delta > 0.0 || (delta == 0.0 && j > i) {
        1.0
    } else {
        -1.0
    }
}

/// Spreads every centre away from the first by the smallest factor that separates all pairs.
fn spread(centres: &mut [Point], extents: &[Extent], gaps: &Gaps) {
    let mut factor: f64 = 1.0;
    for i in 0..centres.len() {
        for j in i + 1..centres.len() {
            let (ox, oy) = overlap(centres, extents, gaps, i, j);
            if ox > 0.0 && oy > 0.0 {
                factor = factor.max(pair_factor(centres, extents, gaps.between(i, j), i, j));
            }
        }
    }
    let factor = factor * 1.0001 + 1e-9;
    for p in centres.iter_mut() {
        p.x *= factor;
        p.y *= factor;
    }
}

/// The factor that separates boxes i and j when every centre is multiplied by it.
fn pair_factor(centres: &[Point], extents: &[Extent], gap: f64, i: usize, j: usize) -> f64 {
    let dx = (centres[i].x - centres[j].x).abs();
    let dy = (centres[i].y - centres[j].y).abs();
    let need_x = extents[i].half_w + extents[j].half_w + gap;
    let need_y = extents[i].half_h + extents[j].half_h + gap;
    let by_x = if dx > 0.0 { need_x / dx } else { f64::INFINITY };
    let by_y = if dy > 0.0 { need_y / dy } else { f64::INFINITY };
    by_x.min(by_y)
}

/// Nudges centres that share a spot with an earlier one, so every pair can be separated.
fn make_distinct(centres: &mut [Point]) {
    let mut order: Vec<usize> = (0..centres.len()).collect();
    order.sort_by(|&a, &b| {
        centres[a]
            .x
            .total_cmp(&centres[b].x)
            .then(centres[a].y.total_cmp(&centres[b].y))
            .then(a.cmp(&b))
    });
    for w in 1..order.len() {
        let (prev, this) = (order[w - 1], order[w]);
        if centres[this] == centres[prev] {
            centres[this].x += 0.5 + w as f64 * 1e-3;
            centres[this].y += 0.25;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clear(centres: &[Point], extents: &[Extent], gaps: &Gaps) -> bool {
        (0..centres.len()).all(|i| {
            (i + 1..centres.len()).all(|j| {
                let (ox, oy) = overlap(centres, extents, gaps, i, j);
                ox <= 0.0 || oy <= 0.0
            })
        })
    }

    #[test]
    fn boxes_on_one_spot_are_separated() {
        let mut centres = vec![Point { x: 0.0, y: 0.0 }; 30];
        let extents = vec![
            Extent {
                half_w: 60.0,
                half_h: 20.0
            };
            30
        ];
        let mut rooms = vec![Vec::new(); 30];
        rooms[0].push((1, 80.0));
        rooms[1].push((0, 80.0));
        let gaps = Gaps {
            gap: 10.0,
            rooms: &rooms,
        };
        remove(&mut centres, &extents, &gaps);
        assert!(clear(&centres, &extents, &gaps));
    }

    #[test]
    fn separate_boxes_do_not_move() {
        let mut centres = vec![Point { x: 0.0, y: 0.0 }, Point { x: 500.0, y: 0.0 }];
        let extents = vec![
            Extent {
                half_w: 60.0,
                half_h: 20.0
            };
            2
        ];
        remove(
            &mut centres,
            &extents,
            &Gaps {
                gap: 10.0,
                rooms: &[vec![(1, 80.0)], vec![(0, 80.0)]],
            },
        );
        assert_eq!(
            centres,
            vec![Point { x: 0.0, y: 0.0 }, Point { x: 500.0, y: 0.0 }]
        );
    }
}
