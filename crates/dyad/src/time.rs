//! Temporal expressions and event dating.
//!
//! This module owns *finding* time expressions in a sentence ("on Thursday
//! morning", "November 18-19, 2024", "last month", "nine months after Abe's
//! assassination", "for two years") and *normalising* them against the
//! document's publication date into an [`Interval`] with a [`Grain`] and a
//! [`Basis`] (the `date` field of the event record). It knows the calendar (ISO
//! weeks, month lengths, leap days), the tense rules of English news ("on
//! Thursday" in a past clause is the latest Thursday on or before publication, in
//! a future clause the next one), durations that are not dates ("a 2-year-old
//! war"), and a small lexicon of named events (`data/time/anchors.txt`: "the
//! 2016 election", "9/11", "World War II").
//!
//! It does not decide which expression governs which event, nor the tense of a
//! clause: the event stage does that, passing the [`Tense`] of the clause to
//! [`TimeExpr::resolve`], and resolving an anchored offset ("a day after the
//! attack") either from a date found inside its anchor phrase
//! ([`TimeExpr::resolve_with`]) or from an event it dated itself
//! ([`TimeExpr::resolve_offset`]).
//!
//! Readings worth knowing (each documented where it lives): in a past or future
//! clause a week, month or year that holds the publication day is cut at it
//! ("in November" published November 7 in a past clause is November 1-7);
//! "in recent days" is the week ending at publication (week grain); "earlier this
//! month" runs from the 1st to the day before publication; "overnight" is the day
//! before publication in a past clause; "last Tuesday" is the latest Tuesday
//! strictly before publication and "next Monday" the first strictly after; a
//! bare number is a year only after "in", "since", "by", "of", "until", "from",
//! "between", "during", "through" (and not before a noun: "in 2000 attacks") or
//! after a month.
//!
//! Finding is a single pass over the sentence's tokens. Only a few kinds of
//! token can carry a time expression (numbers, month and weekday names, words
//! like "yesterday", "week", "two", and the first words of the anchors); a
//! token costs one bitmap test on (length, first and last byte) and, for the
//! few words that pass, one hash-table probe; a sentence without time words
//! costs no allocation. Parsing starts at a head and looks back at most four
//! tokens for its prefix ("in", "on", "since", "early", "the", "for about").
//! No regular expressions. Nothing here panics: unknown shapes are skipped, and
//! date arithmetic that leaves jiff's range yields `None`.

use std::ops::Range;
use std::sync::OnceLock;

use jiff::civil::{Date, Weekday};
use jiff::Span;

use crate::error::LexiconError;
use crate::lexicon::Lexicon;
use crate::text::{Text, Token, TokenKind};
use crate::words::{FILLED, TIME_SHIFT};

// ---------------------------------------------------------------------------
// Public types

/// How precisely an interval is known: the unit the text spoke in.
///
/// An interval of day grain may span several days when the text gives a range of
/// days ("November 18-19"); an interval of week, month or year grain may be cut
/// at the publication day (see [`TimeExpr::resolve`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grain {
    /// Known to the day (or a range of days).
    Day,
    /// Known to the week: ISO weeks (Monday-Sunday) or seven-day windows.
    Week,
    /// Known to the month (or a part of one, or a few months).
    Month,
    /// Known to the year (or longer: decades, wars).
    Year,
}

impl Grain {
    /// The lowercase name used in the event record: "day", "week", "month", "year".
    pub fn as_str(self) -> &'static str {
        match self {
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Year => "year",
        }
    }
}

/// Where a date comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    /// The text names the calendar date, month or year, possibly with an
    /// implied year ("July 13", "in 2016", "November 18 and 19", "in November").
    Explicit,
    /// The text gives a date relative to publication ("on Thursday",
    /// "yesterday", "last month", "three years ago").
    Relative,
    /// The text dates it by another event ("a day after the attack", "the week
    /// after the 2016 election", "during World War II").
    Anchored,
    /// No time expression: the caller fell back to the publication date.
    Publication,
}

impl Basis {
    /// The lowercase name used in the event record: "explicit", "relative",
    /// "anchored", "publication".
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Explicit => "explicit",
            Basis::Relative => "relative",
            Basis::Anchored => "anchored",
            Basis::Publication => "publication",
        }
    }
}

/// A span of days, both ends inclusive, with the grain it was given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// First day.
    pub start: Date,
    /// Last day, inclusive.
    pub end: Date,
    /// How precisely the text gave it.
    pub grain: Grain,
}

impl Interval {
    /// The single day `d`, day grain.
    pub fn day(d: Date) -> Interval {
        Interval { start: d, end: d, grain: Grain::Day }
    }

    /// Does the interval contain the day `d`?
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

/// The tense of the clause an expression governs, told by the caller.
///
/// Expressions that leave the year or week open read differently by tense: in a
/// past (or present) clause "on Thursday" is the latest Thursday on or before
/// publication, in a future clause the first Thursday on or after it (a Thursday
/// equal to the publication day is that day for every tense). "July 13" and "in
/// November" likewise take the latest occurrence on or before publication for
/// [`Tense::Past`], the first on or after it for [`Tense::Future`], and for
/// [`Tense::Present`] whichever is nearer (ties go to the past).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tense {
    /// "said", "has met", "was killed": the latest matching date on or before
    /// publication.
    Past,
    /// "meets", "is on": like past for weekdays; the nearer occurrence for
    /// dates and months; whole periods are not cut at publication.
    Present,
    /// "will meet", "is scheduled", "plans to": the first matching date on or
    /// after publication.
    Future,
}

/// A season of the (northern) year: spring is March-May, summer June-August,
/// autumn September-November, winter December of a year to February of the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Season {
    /// March 1 - May 31.
    Spring,
    /// June 1 - August 31.
    Summer,
    /// September 1 - November 30 ("autumn", "fall").
    Autumn,
    /// December 1 - the end of February of the next year.
    Winter,
}

/// A part of a period: "early November" (days 1-10), "mid-November" (11-20),
/// "late November" (21-30); "early 2019" (January-April), "mid-2019"
/// (May-August), "late 2019" (September-December); "the early 1990s" (1990-1992),
/// "the mid-1990s" (1993-1996), "the late 1990s" (1997-1999). "The beginning /
/// start of" reads as early, "the middle of" as mid, "the end of" as late. On a
/// single day ("early Tuesday", "late Saturday") the part changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The first third: "early", "the beginning of", "the start of".
    Early,
    /// The middle third: "mid", "mid-", "the middle of".
    Mid,
    /// The last third: "late", "the end of".
    Late,
}

/// A time expression found in a sentence: the token range it covers (indices
/// into [`Text::tokens`]) and what it says.
///
/// Expressions come sorted by `start` and do not overlap, with one exception: an
/// [`TimeValue::Offset`] covers its anchor phrase, and the expressions found
/// inside the anchor ("the 2016 election" in "the week after the 2016
/// election") are reported after it, so that [`TimeExpr::resolve_with`] can use
/// them. A caller choosing the expression that dates an event should skip those
/// nested ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeExpr {
    /// First token of the expression (a preposition such as "on", "in", "since",
    /// "for" belongs to it).
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// What it says.
    pub value: TimeValue,
}

/// What a time expression says, before it is set against a publication date.
///
/// Month numbers are 1-12, days 1-31; a missing `year` is implied by the tense
/// (see [`Tense`]). "Shift" fields are -1 for "last", 0 for "this" (or none),
/// +1 for "next".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeValue {
    /// A full calendar date: "November 7, 2024", "7 Nov 2024", "2024-11-07",
    /// "Thursday, November 7, 2024".
    Date(Date),
    /// A day of a month, year implied: "July 13", "the 29th of August", "Feb 21"
    /// in a dateline.
    MonthDay { month: i8, day: i8 },
    /// A range of days, possibly across months: "November 18 and 19", "Nov.
    /// 10-16", "from November 10 to 16", "November 18-19, 2024", "November 30 to
    /// December 2". `year` is the year of the last day.
    DayRange { month: i8, day: i8, to_month: i8, to_day: i8, year: Option<i16> },
    /// A range between two full dates: "from November 10, 2023 to March 2, 2024".
    DateRange { start: Date, end: Date },
    /// A month: "in November", "November 2024", "July of 2022".
    Month { month: i8, year: Option<i16> },
    /// A range of months: "between January and March", "from May 2023 to June
    /// 2024".
    MonthRange { month: i8, year: Option<i16>, to_month: i8, to_year: Option<i16> },
    /// A year: "in 2016", "since 1960" (inside [`TimeValue::Since`]), "the year 2000".
    Year(i16),
    /// A range of years: "between 2019 and 2021", "from 2019 to 2021", "in 2019-21".
    YearRange { year: i16, to_year: i16 },
    /// A decade, by its first year: "the 1990s" is 1990, "the '80s" is 1980.
    Decade(i16),
    /// A season: "in the summer", "summer 2016", "the winter of 2022".
    Season { season: Season, year: Option<i16> },
    /// "last summer", "this winter", "next spring".
    RelSeason { season: Season, shift: i8 },
    /// A day of the week: "on Thursday", "Thursday morning", "late Saturday",
    /// "last Tuesday" (shift -1: the latest one strictly before publication),
    /// "next Monday" (shift +1: the first one strictly after).
    Weekday { weekday: Weekday, shift: i8 },
    /// Days from publication: "yesterday" (-1), "today", "tonight", "this
    /// morning" (0), "tomorrow" (+1), "last night" (-1), "the day before
    /// yesterday" (-2).
    RelDay(i8),
    /// "overnight": the night before publication (the day before it) in a past
    /// or present clause, the coming night (publication day) in a future one.
    Overnight,
    /// Saturday and Sunday: "this weekend", "over the weekend" (shift 0: the
    /// latest weekend on or before publication in a past clause, the coming one in
    /// a future clause, that of the current ISO week in a present one), "last
    /// weekend" (that of the previous ISO week), "next weekend".
    Weekend { shift: i8 },
    /// "last week", "this month", "next year": ISO weeks (Monday-Sunday), calendar
    /// months and years. "this week" in a future clause published on a Sunday is
    /// the coming week (Sunday papers speak of the week ahead).
    RelUnit { unit: Grain, shift: i8 },
    /// A named month relative to publication: "last May" (the latest May before
    /// the current month), "next March", "this July" (this year's).
    RelMonth { month: i8, shift: i8 },
    /// "earlier this week/month/year": from the first day of the period to the
    /// day before publication (`None` on the period's first day).
    EarlierThis(Grain),
    /// "later this week/month/year": from the day after publication to the end of
    /// the period.
    LaterThis(Grain),
    /// "three days ago" (the day), "two weeks ago" (the ISO week holding that
    /// day), "a month ago", "two years ago", "a decade ago" (10 years). A negative
    /// amount is "from now": "two weeks from now".
    Ago { amount: i64, unit: Grain },
    /// Vague recent or coming days: "in recent days", "days ago", "in the past
    /// few days" (the 7 days ending at publication, week grain); "in recent
    /// weeks" (28 days, month grain); "in recent months" (the 6 months ending at
    /// publication, month grain); `future` for "in the coming days" and the like.
    Recent { unit: Grain, future: bool },
    /// A counted window ending (or starting) at publication: "in the past two
    /// weeks", "over the last three years", "in the next 24 hours" (hours count
    /// in whole days; fewer than 24 are 0 days: publication day only).
    Within { amount: i64, unit: Grain, future: bool },
    /// An open range up to publication: "since 1960" (1960-01-01 to
    /// publication), "since last month", "since the Arab Spring". The inner
    /// expression is read as past.
    Since(Box<TimeValue>),
    /// A part of a period: "early November", "mid-2019", "late last year", "the
    /// end of the month".
    Part { part: Part, of: Box<TimeValue> },
    /// A named event from the anchor lexicon ("the 2016 election", "9/11",
    /// "World War II"); `line` is its line in `data/time/anchors.txt`.
    Anchor { interval: Interval, line: usize },
    /// An offset from another event: "nine months after Abe's assassination",
    /// "a day after ...", "two weeks before ...", "the week after the 2016
    /// election", "the next day", "two years later". `anchor` holds the tokens
    /// of the anchor phrase (empty, at the end of the expression, when the text
    /// names none: "a day later"). Hours and minutes count as 0 days: "hours
    /// after the attack" is the anchor's day. Resolved by
    /// [`TimeExpr::resolve_offset`] or [`TimeExpr::resolve_with`].
    Offset { amount: i64, unit: Grain, after: bool, anchor: Range<usize> },
    /// A length of time that is not a date: "for about five minutes", "for two
    /// years", "a 2-year-old war", "ten-day exercise", "a week to leave".
    /// Recognised so that callers can ignore it; it never resolves.
    Duration,
}

// ---------------------------------------------------------------------------
// Date arithmetic (all checked: overflow is None)

fn mk(year: i64, month: i8, day: i8) -> Option<Date> {
    Date::new(i16::try_from(year).ok()?, month, day).ok()
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_months(n).ok()?).ok()
}

fn add_years(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_years(n).ok()?).ok()
}

/// Days since 1970-01-01 (proleptic Gregorian), for comparisons and distances.
fn ordinal(d: Date) -> i64 {
    let (y, m, dd) = (i64::from(d.year()), i64::from(d.month()), i64::from(d.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn iv(start: Date, end: Date, grain: Grain) -> Option<Interval> {
    (start <= end).then_some(Interval { start, end, grain })
}

fn month_iv(year: i64, month: i8) -> Option<Interval> {
    let first = mk(year, month, 1)?;
    iv(first, first.last_of_month(), Grain::Month)
}

fn year_iv(year: i64) -> Option<Interval> {
    iv(mk(year, 1, 1)?, mk(year, 12, 31)?, Grain::Year)
}

fn iso_week(d: Date) -> Option<Interval> {
    let monday = add_days(d, -i64::from(d.weekday().to_monday_zero_offset()))?;
    iv(monday, add_days(monday, 6)?, Grain::Week)
}

fn season_iv(season: Season, year: i64) -> Option<Interval> {
    let (a, b) = match season {
        Season::Spring => (mk(year, 3, 1)?, mk(year, 5, 31)?),
        Season::Summer => (mk(year, 6, 1)?, mk(year, 8, 31)?),
        Season::Autumn => (mk(year, 9, 1)?, mk(year, 11, 30)?),
        Season::Winter => (mk(year, 12, 1)?, mk(year + 1, 3, 1)?.yesterday().ok()?),
    };
    iv(a, b, Grain::Month)
}

/// Pick, among candidate intervals (built for a range of years), the one the
/// tense asks for: Past the latest starting on or before `p`, Future the earliest
/// ending on or after `p`, Present the one holding `p` or else the nearer.
fn pick_by_tense(p: Date, tense: Tense, build: impl Fn(i64) -> Option<Interval>) -> Option<Interval> {
    let y = i64::from(p.year());
    let past = || (y - 9..=y + 1).rev().filter_map(&build).find(|c| c.start <= p);
    let future = || (y - 1..=y + 9).filter_map(&build).find(|c| c.end >= p);
    match tense {
        Tense::Past => past(),
        Tense::Future => future(),
        Tense::Present => match (past(), future()) {
            (Some(a), Some(b)) => {
                let b_nearer = ordinal(b.start) - ordinal(p) < ordinal(p) - ordinal(a.end);
                if !a.contains(p) && (b.contains(p) || b_nearer) {
                    Some(b)
                } else {
                    Some(a)
                }
            }
            (a, b) => a.or(b),
        },
    }
}

/// Cut an interval of week grain or coarser at `p` when it holds `p`: a past
/// event cannot lie after publication, a future one not before it.
fn clip(mut i: Interval, p: Date, tense: Tense) -> Interval {
    if i.grain != Grain::Day && i.contains(p) {
        match tense {
            Tense::Past => i.end = p,
            Tense::Future => i.start = p,
            Tense::Present => {}
        }
    }
    i
}

fn part_of(i: Interval, part: Part) -> Option<Interval> {
    let (s, e) = (i.start, i.end);
    if s == e {
        return Some(i);
    }
    let third = |n: i64| -> (i64, i64) {
        // [a, b) of n units
        let k = n / 3;
        match part {
            Part::Early => (0, k.max(1)),
            Part::Mid => (k, (n - k).max(k + 1)),
            Part::Late => (n - k.max(1), n),
        }
    };
    if s.day() == 1 && e == s.last_of_month() {
        // One whole month: 1-10, 11-20, 21-end.
        let (a, b) = match part {
            Part::Early => (1, 10),
            Part::Mid => (11, 20),
            Part::Late => (21, e.day()),
        };
        return iv(mk(i64::from(s.year()), s.month(), a)?, mk(i64::from(s.year()), s.month(), b)?, Grain::Week);
    }
    if s.month() == 1 && s.day() == 1 && e.month() == 12 && e.day() == 31 {
        let years = i64::from(e.year()) - i64::from(s.year()) + 1;
        if years == 1 {
            let y = i64::from(s.year());
            let (a, b) = match part {
                Part::Early => (1, 4),
                Part::Mid => (5, 8),
                Part::Late => (9, 12),
            };
            return iv(mk(y, a, 1)?, month_iv(y, b)?.end, Grain::Month);
        }
        let (a, b) = third(years);
        let y = i64::from(s.year());
        return iv(mk(y + a, 1, 1)?, mk(y + b - 1, 12, 31)?, Grain::Year);
    }
    let days = ordinal(e) - ordinal(s) + 1;
    let (a, b) = third(days);
    iv(add_days(s, a)?, add_days(s, b - 1)?, i.grain)
}

fn nearest_weekday(p: Date, w: Weekday, tense: Tense, shift: i8) -> Option<Date> {
    let back = i64::from(p.weekday().since(w)); // 0..=6 days since the last w
    let fwd = i64::from(w.since(p.weekday())); // 0..=6 days until the next w
    match shift {
        s if s < 0 => add_days(p, -(if back == 0 { 7 } else { back })),
        s if s > 0 => add_days(p, if fwd == 0 { 7 } else { fwd }),
        _ => match tense {
            Tense::Future => add_days(p, fwd),
            Tense::Past | Tense::Present => add_days(p, -back),
        },
    }
}

fn rel_unit(p: Date, unit: Grain, shift: i64) -> Option<Interval> {
    match unit {
        Grain::Day => Some(Interval::day(add_days(p, shift)?)),
        Grain::Week => iso_week(add_days(p, shift.checked_mul(7)?)?),
        Grain::Month => {
            let d = add_months(p.first_of_month(), shift)?;
            month_iv(i64::from(d.year()), d.month())
        }
        Grain::Year => year_iv(i64::from(p.year()).checked_add(shift)?),
    }
}

fn period_of(p: Date, unit: Grain) -> Option<Interval> {
    rel_unit(p, unit, 0)
}

fn weekend_of_week(d: Date) -> Option<Interval> {
    let w = iso_week(d)?;
    iv(add_days(w.start, 5)?, w.end, Grain::Day)
}

impl TimeValue {
    /// The interval, before cutting at publication.
    fn raw(&self, p: Date, tense: Tense) -> Option<Interval> {
        let py = i64::from(p.year());
        match self {
            TimeValue::Date(d) => Some(Interval::day(*d)),
            TimeValue::MonthDay { month, day } => pick_by_tense(p, tense, |y| mk(y, *month, *day).map(Interval::day)),
            TimeValue::DayRange { month, day, to_month, to_day, year } => {
                let build = |y: i64| {
                    let sy = if to_month < month { y - 1 } else { y };
                    iv(mk(sy, *month, *day)?, mk(y, *to_month, *to_day)?, Grain::Day)
                };
                match year {
                    Some(y) => build(i64::from(*y)),
                    None => pick_by_tense(p, tense, build),
                }
            }
            TimeValue::DateRange { start, end } => iv(*start, *end, Grain::Day),
            TimeValue::Month { month, year } => match year {
                Some(y) => month_iv(i64::from(*y), *month),
                None => pick_by_tense(p, tense, |y| month_iv(y, *month)),
            },
            TimeValue::MonthRange { month, year, to_month, to_year } => {
                let build = |ty: i64, fy: Option<i64>| {
                    let fy = fy.unwrap_or(if to_month < month { ty - 1 } else { ty });
                    iv(month_iv(fy, *month)?.start, month_iv(ty, *to_month)?.end, Grain::Month)
                };
                match to_year {
                    Some(ty) => build(i64::from(*ty), year.map(i64::from)),
                    None => pick_by_tense(p, tense, |y| build(y, None)),
                }
            }
            TimeValue::Year(y) => year_iv(i64::from(*y)),
            TimeValue::YearRange { year, to_year } => iv(year_iv(i64::from(*year))?.start, year_iv(i64::from(*to_year))?.end, Grain::Year),
            TimeValue::Decade(y) => {
                let y = i64::from(*y);
                iv(year_iv(y)?.start, year_iv(y + 9)?.end, Grain::Year)
            }
            TimeValue::Season { season, year } => match year {
                Some(y) => season_iv(*season, i64::from(*y)),
                None => pick_by_tense(p, tense, |y| season_iv(*season, y)),
            },
            TimeValue::RelSeason { season, shift } => {
                let mut cands = (py - 2..=py + 2).filter_map(|y| season_iv(*season, y));
                match shift {
                    s if *s < 0 => cands.rfind(|c| c.end < p),
                    s if *s > 0 => (py - 2..=py + 2).filter_map(|y| season_iv(*season, y)).find(|c| c.start > p),
                    _ => {
                        // This year's season; for winter, the one holding January-February.
                        let y = if *season == Season::Winter && p.month() <= 2 { py - 1 } else { py };
                        season_iv(*season, y)
                    }
                }
            }
            TimeValue::Weekday { weekday, shift } => nearest_weekday(p, *weekday, tense, *shift).map(Interval::day),
            TimeValue::RelDay(n) => add_days(p, i64::from(*n)).map(Interval::day),
            TimeValue::Overnight => match tense {
                Tense::Future => Some(Interval::day(p)),
                Tense::Past | Tense::Present => add_days(p, -1).map(Interval::day),
            },
            TimeValue::Weekend { shift } => match shift {
                s if *s != 0 => weekend_of_week(add_days(p, i64::from(*s) * 7)?),
                _ => match tense {
                    Tense::Present => weekend_of_week(p),
                    Tense::Past => {
                        let this = weekend_of_week(p)?;
                        if this.start <= p {
                            Some(this)
                        } else {
                            weekend_of_week(add_days(p, -7)?)
                        }
                    }
                    Tense::Future => weekend_of_week(p),
                },
            },
            TimeValue::RelUnit { unit, shift } => {
                if *unit == Grain::Week && *shift == 0 && tense == Tense::Future && p.weekday() == Weekday::Sunday {
                    return rel_unit(p, Grain::Week, 1);
                }
                rel_unit(p, *unit, i64::from(*shift))
            }
            TimeValue::RelMonth { month, shift } => {
                let y = match shift {
                    s if *s < 0 => {
                        if *month < p.month() {
                            py
                        } else {
                            py - 1
                        }
                    }
                    s if *s > 0 => {
                        if *month > p.month() {
                            py
                        } else {
                            py + 1
                        }
                    }
                    _ => py,
                };
                month_iv(y, *month)
            }
            TimeValue::EarlierThis(unit) => {
                let period = period_of(p, *unit)?;
                iv(period.start, add_days(p, -1)?, *unit)
            }
            TimeValue::LaterThis(unit) => {
                let period = period_of(p, *unit)?;
                iv(add_days(p, 1)?, period.end, *unit)
            }
            TimeValue::Ago { amount, unit } => {
                let back = amount.checked_neg()?;
                match unit {
                    Grain::Day => add_days(p, back).map(Interval::day),
                    Grain::Week => iso_week(add_days(p, back.checked_mul(7)?)?),
                    Grain::Month => {
                        let d = add_months(p, back)?;
                        month_iv(i64::from(d.year()), d.month())
                    }
                    Grain::Year => year_iv(py.checked_add(back)?),
                }
            }
            TimeValue::Recent { unit, future } => {
                let (span, grain) = match unit {
                    Grain::Day => (6, Grain::Week),
                    Grain::Week => (27, Grain::Month),
                    Grain::Month | Grain::Year => {
                        let other = if *future { add_months(p, 6)? } else { add_months(p, -6)? };
                        (ordinal(p).abs_diff(ordinal(other)) as i64, Grain::Month)
                    }
                };
                if *future {
                    iv(p, add_days(p, span)?, grain)
                } else {
                    iv(add_days(p, -span)?, p, grain)
                }
            }
            TimeValue::Within { amount, unit, future } => {
                let n = if *future { *amount } else { amount.checked_neg()? };
                let other = match unit {
                    Grain::Day => add_days(p, n)?,
                    Grain::Week => add_days(p, n.checked_mul(7)?)?,
                    Grain::Month => add_months(p, n)?,
                    Grain::Year => add_years(p, n)?,
                };
                if *future {
                    iv(p, other, *unit)
                } else {
                    iv(other, p, *unit)
                }
            }
            TimeValue::Since(inner) => {
                let from = inner.raw(p, Tense::Past)?;
                iv(from.start, p, from.grain)
            }
            TimeValue::Part { part, of } => part_of(of.raw(p, tense)?, *part),
            TimeValue::Anchor { interval, .. } => Some(*interval),
            TimeValue::Offset { .. } | TimeValue::Duration => None,
        }
    }

    /// The basis of the value (`None` for durations).
    pub fn basis(&self) -> Option<Basis> {
        Some(match self {
            TimeValue::Date(_)
            | TimeValue::MonthDay { .. }
            | TimeValue::DayRange { .. }
            | TimeValue::DateRange { .. }
            | TimeValue::Month { .. }
            | TimeValue::MonthRange { .. }
            | TimeValue::Year(_)
            | TimeValue::YearRange { .. }
            | TimeValue::Decade(_)
            | TimeValue::Season { .. } => Basis::Explicit,
            TimeValue::RelSeason { .. }
            | TimeValue::Weekday { .. }
            | TimeValue::RelDay(_)
            | TimeValue::Overnight
            | TimeValue::Weekend { .. }
            | TimeValue::RelUnit { .. }
            | TimeValue::RelMonth { .. }
            | TimeValue::EarlierThis(_)
            | TimeValue::LaterThis(_)
            | TimeValue::Ago { .. }
            | TimeValue::Recent { .. }
            | TimeValue::Within { .. } => Basis::Relative,
            TimeValue::Since(inner) | TimeValue::Part { of: inner, .. } => return inner.basis(),
            TimeValue::Anchor { .. } | TimeValue::Offset { .. } => Basis::Anchored,
            TimeValue::Duration => return None,
        })
    }

    /// Periods that are cut at publication by tense (see [`TimeExpr::resolve`]).
    fn clips(&self) -> bool {
        matches!(
            self,
            TimeValue::Month { .. }
                | TimeValue::MonthRange { .. }
                | TimeValue::Year(_)
                | TimeValue::YearRange { .. }
                | TimeValue::Decade(_)
                | TimeValue::Season { .. }
                | TimeValue::RelSeason { .. }
                | TimeValue::RelUnit { .. }
                | TimeValue::RelMonth { .. }
                | TimeValue::Part { .. }
        )
    }

    /// Is this a date the caller can use (not a duration or an offset)?
    fn is_date(&self) -> bool {
        !matches!(self, TimeValue::Duration | TimeValue::Offset { .. })
    }
}

impl TimeExpr {
    /// The interval this expression denotes for a document published on
    /// `published`, read in a clause of tense `tense`, and its basis.
    ///
    /// `None` for durations and offsets (see [`TimeExpr::resolve_offset`],
    /// [`TimeExpr::resolve_with`]), for impossible dates ("earlier this month" on
    /// the 1st) and when the arithmetic leaves the calendar.
    ///
    /// For [`Tense::Past`] and [`Tense::Future`] a period of week grain or coarser
    /// that holds the publication day ("in November", "this week", "in 2024") is
    /// cut at it: a past event cannot be later than publication, a future one not
    /// earlier. [`Tense::Present`] keeps the whole period (the current ISO week for
    /// "this week").
    pub fn resolve(&self, published: Date, tense: Tense) -> Option<(Interval, Basis)> {
        let i = self.value.raw(published, tense)?;
        let i = if self.value.clips() { clip(i, published, tense) } else { i };
        Some((i, self.value.basis()?))
    }

    /// For an [`TimeValue::Offset`], the interval it denotes given the interval
    /// of its anchor (`None` for any other value, or on overflow). With `p` the
    /// anchor's end for "after" (its start for "before") and `n` the amount:
    /// - days: the single day `p ± n` ("a day after": the next day; "hours
    ///   after": `p` itself);
    /// - weeks: the n-th seven days after `p` (`p+7(n-1)+1 ..= p+7n`), or before
    ///   it, week grain: "the week after" a Tuesday election is the Wednesday to
    ///   the next Tuesday;
    /// - months and years: the calendar month or year holding `p ± n` units
    ///   ("nine months after 2022-07-08" is April 2023, month grain).
    pub fn resolve_offset(&self, anchor: &Interval) -> Option<Interval> {
        let TimeValue::Offset { amount, unit, after, .. } = &self.value else {
            return None;
        };
        let n = *amount;
        if n < 0 {
            return None;
        }
        let sign = if *after { 1 } else { -1 };
        let p = if *after { anchor.end } else { anchor.start };
        match unit {
            Grain::Day => add_days(p, sign * n).map(Interval::day),
            Grain::Week if n == 0 => Some(Interval::day(p)),
            Grain::Week => {
                let far = add_days(p, sign * n.checked_mul(7)?)?;
                let near = add_days(p, sign * ((n - 1).checked_mul(7)? + 1))?;
                if *after {
                    iv(near, far, Grain::Week)
                } else {
                    iv(far, near, Grain::Week)
                }
            }
            Grain::Month => {
                let d = add_months(p, sign * n)?;
                month_iv(i64::from(d.year()), d.month())
            }
            Grain::Year => year_iv(i64::from(p.year()).checked_add(sign * n)?),
        }
    }

    /// Like [`TimeExpr::resolve`], but an [`TimeValue::Offset`] is resolved from
    /// the first date expression of `all` (the output of [`find`] for the same
    /// sentence) lying inside its anchor phrase, read with the same tense: "the
    /// week after the 2016 election" gives 2016-11-09..2016-11-15, week grain,
    /// basis anchored. `None` for an offset whose anchor holds no date.
    pub fn resolve_with(&self, all: &[TimeExpr], published: Date, tense: Tense) -> Option<(Interval, Basis)> {
        let TimeValue::Offset { anchor, .. } = &self.value else {
            return self.resolve(published, tense);
        };
        let inner = all
            .iter()
            .filter(|e| e.start >= anchor.start && e.end <= anchor.end && e.start < e.end && e.value.is_date())
            .find_map(|e| e.resolve(published, tense))?;
        Some((self.resolve_offset(&inner.0)?, Basis::Anchored))
    }

    /// Does the expression lie in the sentence's dateline ("Brussels, Feb 21 :")?
    /// A dateline date is the dispatch date: resolve it with [`Tense::Past`].
    pub fn in_dateline(&self, sentence: &crate::text::Sentence) -> bool {
        self.end <= sentence.body && sentence.body > sentence.tokens.start
    }
}

// ---------------------------------------------------------------------------
// Anchors lexicon

/// Where the built-in anchor lexicon lives (in the embedded `data/` files).
pub const ANCHORS_FILE: &str = "data/time/anchors.txt";

#[derive(Clone, Debug)]
struct AnchorEntry {
    /// Token norms of the phrase, a leading "the" removed.
    norms: Vec<String>,
    interval: Interval,
    line: usize,
}

/// The named events of `data/time/anchors.txt` ("2016 election | 2016-11-08 |
/// 2016-11-08"), compiled for token matching. It also carries the hashed table
/// of the words the finder looks at, so that a token costs one lookup (none in
/// a text a lexicon has looked up, whose tokens carry their classes: [`find_in`]).
#[derive(Clone, Debug)]
pub struct Anchors {
    /// Sorted by first token.
    entries: Vec<AnchorEntry>,
    /// Head and prefix words and the anchors' first tokens.
    table: WordTable,
}

impl Default for Anchors {
    /// No anchors (the finder still knows every other expression).
    fn default() -> Anchors {
        Anchors { entries: Vec::new(), table: word_table(std::iter::empty()) }
    }
}

impl Anchors {
    /// Parse an anchor lexicon: `phrase; phrase | YYYY-MM-DD | YYYY-MM-DD` per
    /// line, `#` comments; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Anchors, LexiconError> {
        let err = |line: usize, message: String| LexiconError::Syntax { file: file.to_string(), line, message };
        let mut entries = Vec::new();
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let body = raw.trim();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = body.split('|').map(str::trim).collect();
            let [phrases, start, end] = fields[..] else {
                return Err(err(line, format!("expected 'phrase; phrase | start | end', found {} field(s)", fields.len())));
            };
            let date = |s: &str| s.parse::<Date>().map_err(|e| err(line, format!("'{s}' is not a date (YYYY-MM-DD): {e}")));
            let (start, end) = (date(start)?, date(end)?);
            if end < start {
                return Err(err(line, format!("end {end} is before start {start}")));
            }
            let days = ordinal(end) - ordinal(start);
            let grain = if days <= 31 {
                Grain::Day
            } else if days <= 400 {
                Grain::Month
            } else {
                Grain::Year
            };
            let interval = Interval { start, end, grain };
            if phrases.split(';').all(|p| p.trim().is_empty()) {
                return Err(err(line, "no phrase before the first '|'".to_string()));
            }
            for phrase in phrases.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let mut norms: Vec<String> = crate::text::analyse(phrase).tokens.into_iter().map(|t| t.norm.into_string()).collect();
                if norms.first().is_some_and(|n| n == "the") {
                    norms.remove(0);
                }
                if norms.is_empty() {
                    return Err(err(line, format!("phrase '{phrase}' has no words")));
                }
                entries.push(AnchorEntry { norms, interval, line });
            }
        }
        entries.sort_by(|a, b| a.norms.cmp(&b.norms));
        // Each distinct first word with the range of entries it starts.
        let mut firsts: Vec<(&str, Range<usize>)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match firsts.last_mut() {
                Some((w, r)) if *w == e.norms[0] => r.end = i + 1,
                _ => firsts.push((e.norms[0].as_str(), i..i + 1)),
            }
        }
        let table = word_table(firsts.into_iter());
        Ok(Anchors { entries, table })
    }

    /// The lexicon built into the library (`data/time/anchors.txt` at build time).
    /// Empty if the file is missing or malformed (a unit test guards it).
    pub fn builtin() -> &'static Anchors {
        static BUILTIN: OnceLock<Anchors> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            crate::embedded::FILES
                .iter()
                .find(|(path, _)| *path == ANCHORS_FILE)
                .and_then(|(path, text)| Anchors::parse(text, path).ok())
                .unwrap_or_default()
        })
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No phrases at all?
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every word the finder classes, with its class bits, for a lexicon's
    /// vocabulary to hand them to each token it looks up
    /// ([`crate::words::TIME_SHIFT`]).
    pub(crate) fn word_classes(&self) -> impl Iterator<Item = (&str, u8)> {
        self.table.words.iter().map(|(w, class, _)| (w.as_str(), *class))
    }

    /// Entries whose first token is `w`.
    fn starting_with(&self, w: &str) -> &[AnchorEntry] {
        match self.table.info(w) {
            Some((class, r)) if class & ANCHOR != 0 => self.entries.get(r.clone()).unwrap_or(&[]),
            _ => &[],
        }
    }
}

// ---------------------------------------------------------------------------
// Word tables

/// Every word that can carry a time expression on its own, sorted (a unit test
/// checks the order). Numbers, hyphenated compounds ("ten-day", "mid-2019") and
/// the anchors' first words are recognised separately.
const HEAD_WORDS: &[&str] = &[
    "afternoon",
    "apr",
    "apr.",
    "april",
    "aug",
    "aug.",
    "august",
    "autumn",
    "centuries",
    "century",
    "day",
    "days",
    "dec",
    "dec.",
    "decade",
    "decades",
    "december",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "evening",
    "fall",
    "feb",
    "feb.",
    "february",
    "fifteen",
    "fifty",
    "five",
    "fortnight",
    "forty",
    "four",
    "fourteen",
    "friday",
    "hour",
    "hours",
    "hundred",
    "jan",
    "jan.",
    "january",
    "jul",
    "jul.",
    "july",
    "jun",
    "jun.",
    "june",
    "mar",
    "mar.",
    "march",
    "may",
    "mid",
    "minute",
    "minutes",
    "monday",
    "month",
    "months",
    "morning",
    "night",
    "nights",
    "nine",
    "nineteen",
    "ninety",
    "nov",
    "nov.",
    "november",
    "oct",
    "oct.",
    "october",
    "one",
    "overnight",
    "saturday",
    "sep",
    "sep.",
    "sept",
    "sept.",
    "september",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "spring",
    "summer",
    "sunday",
    "ten",
    "thirteen",
    "thirty",
    "three",
    "thursday",
    "today",
    "tomorrow",
    "tonight",
    "tuesday",
    "twelve",
    "twenty",
    "two",
    "wednesday",
    "week",
    "weekend",
    "weekends",
    "weeks",
    "winter",
    "year",
    "years",
    "yesterday",
];

/// Hyphenated compounds: "ten-day", "two-year-old", "mid-2019", "year-long".
/// (The part before the hyphen is at most 9 letters: "seventeen", "centuries".)
fn compound_head(w: &str) -> bool {
    let b = w.as_bytes();
    // A hyphen among the first ten bytes: all ten are read (the last byte again
    // for a shorter word), with no loop whose end the processor would have to
    // guess for every word.
    let early_hyphen = || {
        let last = b.len().min(10) - 1;
        (0..10).fold(false, |hit, i| hit | (b[i.min(last)] == b'-'))
    };
    if b.len() > 5 && early_hyphen() {
        if let Some((first, _)) = w.split_once('-') {
            return first == "mid" || number_word(first).is_some() || unit_word(first).is_some();
        }
    }
    false
}

/// Month number and whether the word is safe on its own ("November" is; "May",
/// "March" and dotless abbreviations need a day, a year or a preposition).
fn month_word(w: &str) -> Option<(i8, bool)> {
    Some(match w {
        "january" | "jan." => (1, true),
        "jan" => (1, false),
        "february" | "feb." => (2, true),
        "feb" => (2, false),
        "mar." => (3, true),
        "march" | "mar" => (3, false),
        "april" | "apr." => (4, true),
        "apr" => (4, false),
        "may" => (5, false),
        "june" | "jun." => (6, true),
        "jun" => (6, false),
        "july" | "jul." => (7, true),
        "jul" => (7, false),
        "august" | "aug." => (8, true),
        "aug" => (8, false),
        "september" | "sept." | "sep." => (9, true),
        "sept" | "sep" => (9, false),
        "october" | "oct." => (10, true),
        "oct" => (10, false),
        "november" | "nov." => (11, true),
        "nov" => (11, false),
        "december" | "dec." => (12, true),
        "dec" => (12, false),
        _ => return None,
    })
}

fn weekday_word(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return None,
    })
}

fn season_word(w: &str) -> Option<Season> {
    Some(match w {
        "spring" => Season::Spring,
        "summer" => Season::Summer,
        "autumn" | "fall" => Season::Autumn,
        "winter" => Season::Winter,
        _ => return None,
    })
}

fn number_word(w: &str) -> Option<i64> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        _ => {
            // "twenty-five"
            let (tens, ones) = w.split_once('-')?;
            let (t, o) = (number_word(tens)?, number_word(ones)?);
            if t >= 20 && t % 10 == 0 && t < 100 && o < 10 {
                t + o
            } else {
                return None;
            }
        }
    })
}

/// Units of time as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum U {
    Minute,
    Hour,
    Day,
    Week,
    Fortnight,
    Month,
    Year,
    Decade,
    Century,
}

impl U {
    /// The grain and the multiplier; minutes and hours count in whole days.
    fn grain(self) -> (Grain, i64) {
        match self {
            U::Minute | U::Hour | U::Day => (Grain::Day, 1),
            U::Week => (Grain::Week, 1),
            U::Fortnight => (Grain::Week, 2),
            U::Month => (Grain::Month, 1),
            U::Year => (Grain::Year, 1),
            U::Decade => (Grain::Year, 10),
            U::Century => (Grain::Year, 100),
        }
    }

    /// `n` units as (amount, grain): hours become whole days (`n / 24`), minutes 0.
    fn amount(self, n: i64) -> Option<(i64, Grain)> {
        match self {
            U::Minute => Some((0, Grain::Day)),
            U::Hour => Some((n / 24, Grain::Day)),
            _ => {
                let (g, k) = self.grain();
                Some((n.checked_mul(k)?, g))
            }
        }
    }
}

/// A unit word; also "year-old", "day-long" (the adjectival compounds, flagged).
fn unit_word(w: &str) -> Option<(U, bool)> {
    let base = |w: &str| -> Option<U> {
        Some(match w {
            "minute" | "minutes" => U::Minute,
            "hour" | "hours" => U::Hour,
            "day" | "days" | "night" | "nights" => U::Day,
            "week" | "weeks" => U::Week,
            "fortnight" | "fortnights" => U::Fortnight,
            "month" | "months" => U::Month,
            "year" | "years" => U::Year,
            "decade" | "decades" => U::Decade,
            "century" | "centuries" => U::Century,
            _ => return None,
        })
    };
    if let Some(u) = base(w) {
        return Some((u, false));
    }
    let (first, rest) = w.split_once('-')?;
    matches!(rest, "old" | "long" | "olds").then_some(())?;
    Some((base(first)?, true))
}

/// An adjectival duration in one word: "ten-day", "two-year-old", "five-minute".
fn compound_duration(w: &str) -> bool {
    let mut parts = w.split('-');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return false;
    };
    let rest_ok = parts.all(|p| matches!(p, "old" | "long"));
    (number_word(a).is_some() || a == "half" || a == "multi") && rest_ok && unit_word(b).is_some_and(|(_, adj)| !adj)
}

/// Words that may follow a bare year read after a preposition ("in 2016, ...",
/// "in 2016 the party"): anything else lowercase ("in 2000 attacks") makes the
/// number a count rather than a year.
const AFTER_YEAR: &[&str] = &[
    "'s", "a", "after", "ago", "alone", "amid", "an", "and", "as", "at", "before", "but", "by", "despite", "during", "for", "from", "had",
    "has", "have", "he", "her", "his", "i", "in", "is", "it", "its", "on", "onward", "onwards", "or", "over", "she", "since", "that",
    "the", "their", "then", "there", "they", "through", "to", "under", "until", "was", "we", "were", "when", "where", "which", "while",
    "who", "with",
];

/// Words after which a weekday names a holiday or a title, not a day.
const NOT_BEFORE_WEEKDAY: &[&str] = &["ash", "black", "bloody", "cyber", "easter", "good", "holy", "maundy", "palm", "super"];
/// Words after which a weekday is part of a name ("Sunday Times").
const NOT_AFTER_WEEKDAY: &[&str] = &[
    "express",
    "herald",
    "league",
    "mail",
    "mirror",
    "observer",
    "post",
    "prayer",
    "prayers",
    "school",
    "service",
    "star",
    "telegraph",
    "times",
];

/// Words that end an anchor phrase ("a day after the attack, which ...").
const ANCHOR_STOP: &[&str] = &[
    "after", "although", "amid", "as", "because", "before", "but", "despite", "during", "if", "since", "so", "that", "though", "until",
    "when", "where", "whereas", "which", "while", "who", "whom", "whose",
];

/// The longest anchor phrase considered after "after" / "before".
const MAX_ANCHOR_TOKENS: usize = 12;

/// How far back from a head token its prefix may start ("for about five").
const MAX_LOOKBACK: usize = 4;

/// Words that can start an expression before its head ("in", "the", "for",
/// "about", "early", "last"): the only tokens tried as starts when looking back.
const PREFIX_WORDS: &[&str] = &[
    "'",
    "a",
    "about",
    "almost",
    "an",
    "another",
    "approximately",
    "around",
    "at",
    "barely",
    "beginning",
    "between",
    "by",
    "coming",
    "during",
    "earlier",
    "early",
    "end",
    "exactly",
    "fewer",
    "following",
    "for",
    "from",
    "in",
    "just",
    "last",
    "late",
    "later",
    "less",
    "middle",
    "more",
    "nearly",
    "next",
    "of",
    "on",
    "only",
    "over",
    "past",
    "preceding",
    "precisely",
    "previous",
    "prior",
    "recent",
    "roughly",
    "same",
    "since",
    "some",
    "start",
    "subsequent",
    "the",
    "this",
    "through",
    "till",
    "under",
    "until",
    "up",
    "within",
];

/// Token classes in the word table.
const HEAD: u8 = 1;
const PREFIX: u8 = 2;
/// The first word of an anchor phrase.
const ANCHOR: u8 = 4;
/// Every class bit: they fit the three bits a token holds them in
/// (`words::TIME_SHIFT`).
const CLASSES: u8 = HEAD | PREFIX | ANCHOR;
const _: () = assert!(CLASSES & !7 == 0);

/// A fast hash for short words: the first and the last eight bytes and the
/// length, mixed by one multiplication (collisions only cost a comparison).
#[inline]
fn word_hash(w: &str) -> u64 {
    let b = w.as_bytes();
    let n = b.len();
    let r4 = |i: usize| b.get(i..i + 4).and_then(|s| <[u8; 4]>::try_from(s).ok()).map_or(0, |a| u64::from(u32::from_le_bytes(a)));
    let r8 = |i: usize| b.get(i..i + 8).and_then(|s| <[u8; 8]>::try_from(s).ok()).map_or(0, u64::from_le_bytes);
    let x = if n >= 8 {
        r8(0) ^ r8(n - 8).rotate_left(29)
    } else if n >= 4 {
        r4(0) | (r4(n - 4) << 32)
    } else if n > 0 {
        u64::from(b[0]) | (u64::from(b[n / 2]) << 8) | (u64::from(b[n - 1]) << 16)
    } else {
        0
    };
    let x = (x ^ ((n as u64) << 56)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 29)
}

/// A small open-addressing hash map of words to a class byte and a range (the
/// anchor entries a word starts): one hash and (almost always) one probe per
/// lookup, no string comparison on a miss.
#[derive(Clone, Debug, Default)]
struct WordTable {
    /// (high half of the hash, index into `words` + 1; 0 = empty), length a
    /// power of two, at most half full.
    slots: Vec<(u32, u32)>,
    words: Vec<(String, u8, Range<usize>)>,
    /// Bitmap over (length, first byte, last byte) of the words: rejects
    /// almost every other word before hashing.
    filter: Vec<u64>,
}

/// Bit of a word in [`WordTable::filter`] (`None` for the empty word).
#[inline]
fn filter_bit(w: &[u8]) -> Option<usize> {
    let (first, last) = (*w.first()?, *w.last()?);
    Some((w.len().min(15) << 10) | (usize::from(first & 31) << 5) | usize::from(last & 31))
}

impl WordTable {
    fn build<'w>(items: impl Iterator<Item = (&'w str, u8, Range<usize>)>) -> WordTable {
        let mut words: Vec<(String, u8, Range<usize>)> = Vec::new();
        for (w, class, range) in items {
            match words.iter_mut().find(|(x, _, _)| x == w) {
                Some(entry) => {
                    entry.1 |= class;
                    if !range.is_empty() {
                        entry.2 = range;
                    }
                }
                None => words.push((w.to_string(), class, range)),
            }
        }
        let mut filter = vec![0u64; (16 << 10) / 64];
        for (w, _, _) in &words {
            if let Some(bit) = filter_bit(w.as_bytes()) {
                filter[bit / 64] |= 1 << (bit % 64);
            }
        }
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut slots = vec![(0u32, 0u32); size];
        for (i, (w, _, _)) in words.iter().enumerate() {
            let h = word_hash(w);
            let mut k = (h as usize) & (size - 1);
            while slots[k].1 != 0 {
                k = (k + 1) & (size - 1);
            }
            slots[k] = ((h >> 32) as u32, u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
        WordTable { slots, words, filter }
    }

    #[inline]
    fn get(&self, w: &str) -> u8 {
        self.info(w).map_or(0, |(class, _)| class)
    }

    #[inline]
    fn info(&self, w: &str) -> Option<(u8, &Range<usize>)> {
        let bit = filter_bit(w.as_bytes())?;
        if self.filter.get(bit / 64).is_none_or(|x| x & (1 << (bit % 64)) == 0) {
            return None;
        }
        let size = self.slots.len();
        if size == 0 {
            return None;
        }
        let h = word_hash(w);
        let mut k = (h as usize) & (size - 1);
        loop {
            let (sh, idx) = self.slots[k];
            if idx == 0 {
                return None;
            }
            if sh == (h >> 32) as u32 {
                if let Some((word, class, range)) = self.words.get(idx as usize - 1) {
                    if word == w {
                        return Some((*class, range));
                    }
                }
            }
            k = (k + 1) & (size - 1);
        }
    }
}

/// The word table of head and prefix words plus the given anchor first words
/// (with the range of entries each starts).
fn word_table<'w>(anchor_firsts: impl Iterator<Item = (&'w str, Range<usize>)>) -> WordTable {
    WordTable::build(
        HEAD_WORDS
            .iter()
            .map(|w| (*w, HEAD, 0..0))
            .chain(PREFIX_WORDS.iter().map(|w| (*w, PREFIX, 0..0)))
            .chain(anchor_firsts.map(|(w, r)| (w, ANCHOR, r))),
    )
}

// ---------------------------------------------------------------------------
// Finding

/// Find the time expressions of sentence `sentence` of `text` (all its tokens,
/// from `tokens.start`, so a dateline's date is reported too: see
/// [`TimeExpr::in_dateline`]), with the built-in anchor lexicon.
///
/// Expressions come sorted by start; an offset's anchor phrase may hold further
/// expressions, reported after it (see [`TimeExpr`]). An index past the last
/// sentence yields nothing.
pub fn find(text: &Text, sentence: usize) -> Vec<TimeExpr> {
    find_with(text, sentence, Anchors::builtin())
}

/// [`find`] with a given anchor lexicon.
pub fn find_with(text: &Text, sentence: usize, anchors: &Anchors) -> Vec<TimeExpr> {
    find_classed(text, sentence, anchors, false)
}

/// [`find`] with the anchors of `lex`, in a text whose tokens `lex` has looked
/// up ([`Lexicon::token_ids`]): each token's time classes are read off it
/// rather than looked up again.
pub fn find_in(text: &Text, sentence: usize, lex: &Lexicon) -> Vec<TimeExpr> {
    find_classed(text, sentence, lex.time_anchors(), true)
}

fn find_classed(text: &Text, sentence: usize, anchors: &Anchors, looked_up: bool) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let Some(s) = text.sentences.get(sentence) else {
        return out;
    };
    let hi = s.tokens.end.min(text.tokens.len());
    let lo = s.tokens.start.min(hi);
    let mut cx = Cx { toks: &text.tokens, lo, hi, anchors, looked_up, classes: [0; CLASS_CACHE] };
    for k in lo..hi.min(lo + CLASS_CACHE) {
        cx.classes[k - lo] = cx.compute_class(k) | CACHED;
    }
    let cx = cx;
    let mut i = lo;
    let mut floor = lo;
    while i < hi {
        let class = cx.class(i);
        if class & HEAD == 0 {
            i += 1;
            continue;
        }
        // A common word that only starts an anchor ("world", "first", "civil"):
        // look back only if the whole phrase is there.
        if class & ANCHOR != 0 && cx.class_without_anchor(i) & HEAD == 0 && cx.anchor_at(i).is_none() {
            i += 1;
            continue;
        }
        let found = (floor.max(i.saturating_sub(MAX_LOOKBACK))..=i)
            .filter(|&s| s == i || cx.class(s) != 0)
            .find_map(|s| cx.parse_at(s).filter(|m| m.start <= i && m.end > i && m.start >= floor));
        match found {
            Some(m) => {
                let next = match &m.value {
                    TimeValue::Offset { anchor, .. } if anchor.start < anchor.end => anchor.start,
                    _ => m.end,
                };
                out.push(TimeExpr { start: m.start, end: m.end, value: m.value });
                floor = next;
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// A match: token range and value.
struct M {
    start: usize,
    end: usize,
    value: TimeValue,
}

fn m(start: usize, end: usize, value: TimeValue) -> Option<M> {
    Some(M { start, end, value })
}

/// An amount as written: a number, or vague ("a few", "several", bare "days").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qty {
    Exact(i64),
    Vague,
}

/// Token classes are computed once per sentence for its first tokens (every
/// token of a sentence split by `text`, which caps them at 250).
const CLASS_CACHE: usize = 256;
/// Marks a computed entry of the class cache.
const CACHED: u8 = 128;

struct Cx<'a> {
    toks: &'a [Token],
    lo: usize,
    hi: usize,
    anchors: &'a Anchors,
    /// The tokens carry their time classes (see [`find_in`]).
    looked_up: bool,
    classes: [u8; CLASS_CACHE],
}

impl<'a> Cx<'a> {
    #[inline]
    fn t(&self, k: usize) -> Option<&'a Token> {
        if k >= self.lo && k < self.hi {
            self.toks.get(k)
        } else {
            None
        }
    }

    /// Norm of token `k` ("" outside the sentence).
    #[inline]
    fn n(&self, k: usize) -> &'a str {
        self.t(k).map_or("", |t| t.norm.as_str())
    }

    #[inline]
    fn is(&self, k: usize, w: &str) -> bool {
        self.n(k) == w
    }

    /// HEAD (a time expression may hang on this token), PREFIX (one may start
    /// here before its head), both or neither.
    #[inline]
    fn class(&self, k: usize) -> u8 {
        match k.checked_sub(self.lo).and_then(|x| self.classes.get(x)) {
            Some(c) if c & CACHED != 0 => c & !CACHED,
            _ => self.compute_class(k),
        }
    }

    /// The word table's classes of a token: off the token when its lexicon
    /// lookup left them there, from the table otherwise.
    #[inline]
    fn table_class(&self, t: &Token) -> u8 {
        if self.looked_up && t.classes & FILLED != 0 {
            (t.classes >> TIME_SHIFT) as u8 & CLASSES
        } else {
            self.anchors.table.get(&t.norm)
        }
    }

    fn compute_class(&self, k: usize) -> u8 {
        let Some(t) = self.t(k) else { return 0 };
        match t.kind {
            TokenKind::Number => HEAD | (self.table_class(t) & ANCHOR),
            TokenKind::Word => {
                let c = self.table_class(t);
                if c & (ANCHOR | HEAD) != 0 || compound_head(&t.norm) {
                    c | HEAD
                } else {
                    c
                }
            }
            TokenKind::Punct if t.norm == "'" => PREFIX,
            TokenKind::Punct => 0,
        }
    }

    /// The class a word would have without the anchor lexicon.
    fn class_without_anchor(&self, k: usize) -> u8 {
        match self.t(k) {
            Some(t) if t.kind == TokenKind::Word => {
                let c = self.table_class(t) & !ANCHOR;
                if c & HEAD == 0 && compound_head(&t.norm) {
                    c | HEAD
                } else {
                    c
                }
            }
            Some(t) if t.kind == TokenKind::Number => HEAD,
            _ => 0,
        }
    }

    /// Digits of a Number token (commas as thousands separators allowed).
    fn int(&self, k: usize) -> Option<i64> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let mut v: i64 = 0;
        let mut digits = 0;
        for b in t.norm.bytes() {
            match b {
                b'0'..=b'9' => {
                    v = v.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                    digits += 1;
                }
                b',' => {}
                _ => return None,
            }
        }
        (digits > 0).then_some(v)
    }

    /// A day of the month: "7", "07", "29th".
    fn day_num(&self, k: usize) -> Option<i8> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let digits = t.norm.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &t.norm[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th")
            || digits.is_empty()
            || digits.len() > 2
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let d: i8 = digits.parse().ok()?;
        (1..=31).contains(&d).then_some(d)
    }

    /// A four-digit year in `range`.
    fn year4(&self, k: usize, range: std::ops::RangeInclusive<i64>) -> Option<i16> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Number || t.norm.len() != 4 || !t.norm.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i64 = t.norm.parse().ok()?;
        range.contains(&y).then(|| i16::try_from(y).ok()).flatten()
    }

    /// A month name at `k` (capitalised in the text).
    fn month(&self, k: usize) -> Option<(i8, bool)> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Word || !t.cap {
            return None;
        }
        month_word(&t.norm)
    }

    fn weekday(&self, k: usize) -> Option<Weekday> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        weekday_word(&t.norm)
    }

    fn unit(&self, k: usize) -> Option<(U, bool)> {
        let t = self.t(k)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        unit_word(&t.norm)
    }

    /// "morning", "afternoon", "evening", "night", "overnight" after a day.
    fn tod(&self, k: usize) -> usize {
        if matches!(self.n(k), "morning" | "afternoon" | "evening" | "night" | "overnight") {
            k + 1
        } else {
            k
        }
    }

    /// A decade number at `k`: "1990s", "90s" (with or without a leading "'").
    fn decade(&self, k: usize) -> Option<(i16, usize)> {
        let k = if self.is(k, "'") { k + 1 } else { k };
        let t = self.t(k)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        let digits = t.norm.strip_suffix('s')?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !digits.ends_with('0') {
            return None;
        }
        let y: i16 = match digits.len() {
            4 => digits.parse().ok().filter(|y| (1000..=2990).contains(y))?,
            2 => {
                let d: i16 = digits.parse().ok()?;
                if d <= 10 {
                    2000 + d
                } else {
                    1900 + d
                }
            }
            _ => return None,
        };
        Some((y, k + 1))
    }

    /// An amount at `k`, hedges skipped ("about", "more than", "at least").
    fn qty(&self, k: usize) -> Option<(Qty, usize)> {
        let mut j = k;
        for _ in 0..3 {
            match self.n(j) {
                "about" | "around" | "nearly" | "almost" | "roughly" | "approximately" | "over" | "under" | "just" | "only" | "barely"
                | "exactly" | "some" | "another" | "precisely" => {
                    if self.n(j) == "some" && self.int(j + 1).is_none() && number_word(self.n(j + 1)).is_none() {
                        return Some((Qty::Vague, j + 1));
                    }
                    j += 1
                }
                "more" | "less" | "fewer" if self.is(j + 1, "than") => j += 2,
                "at" if matches!(self.n(j + 1), "least" | "most") => j += 2,
                "up" if self.is(j + 1, "to") => j += 2,
                _ => break,
            }
        }
        let w = self.n(j);
        if let Some(v) = self.int(j) {
            return Some((Qty::Exact(v), j + 1));
        }
        if let Some(v) = number_word(w) {
            return Some((Qty::Exact(v), j + 1));
        }
        match w {
            "a" | "an" => match self.n(j + 1) {
                "few" => Some((Qty::Vague, j + 2)),
                "couple" if self.is(j + 2, "of") => Some((Qty::Exact(2), j + 3)),
                "couple" => Some((Qty::Exact(2), j + 2)),
                "dozen" => Some((Qty::Exact(12), j + 2)),
                _ => Some((Qty::Exact(1), j + 1)),
            },
            "few" | "several" | "many" => Some((Qty::Vague, j + 1)),
            _ => None,
        }
    }

    // -- entry point ------------------------------------------------------

    /// Try to read an expression starting at `s` (its prefix included).
    fn parse_at(&self, s: usize) -> Option<M> {
        if self.class(s) & (ANCHOR | PREFIX) != 0 {
            if let Some(mm) = self.anchor_at(s) {
                return Some(mm);
            }
        }
        let w = self.n(s);
        match w {
            "since" => {
                let inner = self.core(s + 1, true, 0)?;
                match inner.value {
                    TimeValue::Duration | TimeValue::Offset { .. } | TimeValue::Since(_) => None,
                    v => m(s, inner.end, TimeValue::Since(Box::new(v))),
                }
            }
            "from" | "between" => {
                let a = self.core(s + 1, true, 0)?;
                if !a.value.is_date() {
                    return None;
                }
                if matches!(self.n(a.end), "to" | "through" | "until" | "till" | "and" | "-") {
                    if let Some(b) = self.core(a.end + 1, true, 0) {
                        if let Some(v) = range_of(&a.value, &b.value) {
                            return m(s, b.end, v);
                        }
                    }
                }
                m(s, a.end, a.value)
            }
            "in" | "on" | "during" | "at" | "over" | "within" => {
                if let Some(mm) = self.window(s + 1) {
                    return m(s, mm.end, mm.value);
                }
                if w == "within" {
                    return None;
                }
                let j = self.time_of_day_prefix(s + 1);
                let mm = self.core(j, true, 0)?;
                // "in two days", "sworn in last month", "in last week's election":
                // the preposition is not part of a duration or a relative phrase.
                if j == s + 1 && (!mm.value.is_date() || matches!(self.n(j), "last" | "this" | "next")) {
                    return Some(mm);
                }
                m(s, mm.end, mm.value)
            }
            "by" | "until" | "till" | "through" | "of" => {
                let mm = self.core(s + 1, true, 0)?;
                Some(mm)
            }
            "for" => self.for_form(s),
            _ => self.core(s, false, 0),
        }
    }

    /// "the early hours of", "the wee hours of", "the morning of", "the night
    /// of": skipped before a day.
    fn time_of_day_prefix(&self, k: usize) -> usize {
        let j = if self.is(k, "the") { k + 1 } else { k };
        if matches!(self.n(j), "early" | "wee" | "small") && self.is(j + 1, "hours") && self.is(j + 2, "of") {
            return j + 3;
        }
        if matches!(self.n(j), "morning" | "afternoon" | "evening" | "night") && self.is(j + 1, "of") && j > k {
            return j + 2;
        }
        k
    }

    /// A known anchor at `k`, a leading "the" allowed.
    fn anchor_at(&self, k: usize) -> Option<M> {
        if self.anchors.is_empty() {
            return None;
        }
        let j = if self.is(k, "the") { k + 1 } else { k };
        let mut best: Option<&AnchorEntry> = None;
        for e in self.anchors.starting_with(self.n(j)) {
            let len = e.norms.len();
            if j + len <= self.hi && e.norms.iter().enumerate().all(|(x, w)| self.n(j + x) == w) && best.is_none_or(|b| b.norms.len() < len)
            {
                best = Some(e);
            }
        }
        let e = best?;
        m(k, j + e.norms.len(), TimeValue::Anchor { interval: e.interval, line: e.line })
    }

    /// "for about five minutes", "for two years", "for years": durations; "for
    /// the past two years": a window.
    fn for_form(&self, s: usize) -> Option<M> {
        if self.is(s + 1, "the") {
            let w = self.window_after_the(s + 2)?;
            return m(s, w.end, w.value);
        }
        let (_, j) = self.qty(s + 1).unwrap_or((Qty::Vague, s + 1));
        if self.unit(j).is_some() {
            if self.is(j + 1, "ago") {
                return None;
            }
            return m(s, j + 1, TimeValue::Duration);
        }
        // "for 30-day periods"
        if self.int(j - 1).is_some() && self.is(j, "-") && self.unit(j + 1).is_some() {
            return m(s, j + 2, TimeValue::Duration);
        }
        None
    }

    /// After "in", "over", "during": "recent days", "the past two weeks", "the
    /// coming days", "the next 24 hours".
    fn window(&self, k: usize) -> Option<M> {
        if self.is(k, "recent") {
            let (u, adj) = self.unit(k + 1)?;
            if adj {
                return None;
            }
            return m(k, k + 2, TimeValue::Recent { unit: recent_unit(u)?, future: false });
        }
        if self.is(k, "the") {
            return self.window_after_the(k + 1).map(|w| M { start: k, ..w });
        }
        None
    }

    /// At "past" / "last" / "next" / "coming" (after "the"): a window.
    fn window_after_the(&self, k: usize) -> Option<M> {
        let future = match self.n(k) {
            "past" | "last" | "previous" => false,
            "next" | "coming" | "following" => true,
            _ => return None,
        };
        let (q, j) = match self.qty(k + 1) {
            Some(x) => x,
            // "the coming days" is vague, "the past week" is one week
            None if self.n(k + 1).ends_with('s') => (Qty::Vague, k + 1),
            None => (Qty::Exact(1), k + 1),
        };
        let (u, adj) = self.unit(j)?;
        if adj {
            return None;
        }
        let value = match (q, u) {
            // "the next hours": publication day
            (Qty::Vague, U::Hour | U::Minute) => TimeValue::Within { amount: 0, unit: Grain::Day, future },
            (Qty::Vague, _) => TimeValue::Recent { unit: recent_unit(u)?, future },
            (Qty::Exact(n), _) => {
                let (amount, unit) = u.amount(n)?;
                TimeValue::Within { amount, unit, future }
            }
        };
        m(k, j + 1, value)
    }

    /// Everything that is not a leading preposition. `cued`: after a temporal
    /// preposition, so a bare year or a weak month name may be read.
    fn core(&self, k: usize, cued: bool, depth: u8) -> Option<M> {
        if depth > 3 {
            return None;
        }
        let t = self.t(k)?;
        if let Some(mm) = self.anchor_at(k) {
            return Some(mm);
        }
        if let Some((part, j)) = self.part_prefix(k) {
            let inner = self.core(j, true, depth + 1)?;
            let value = match inner.value {
                TimeValue::Weekday { .. }
                | TimeValue::RelDay(_)
                | TimeValue::MonthDay { .. }
                | TimeValue::Date(_)
                | TimeValue::Overnight => inner.value,
                TimeValue::Duration | TimeValue::Offset { .. } | TimeValue::Since(_) | TimeValue::Part { .. } => return None,
                TimeValue::Anchor { .. } | TimeValue::Within { .. } | TimeValue::Recent { .. } => return None,
                v => TimeValue::Part { part, of: Box::new(v) },
            };
            return m(k, inner.end, value);
        }
        match t.kind {
            TokenKind::Number => self.number_forms(k, cued),
            TokenKind::Punct => {
                let (y, e) = self.decade(k)?;
                m(k, e, TimeValue::Decade(y))
            }
            TokenKind::Word => {
                let w = t.norm.as_str();
                if self.month(k).is_some() {
                    return self.month_forms(k, cued);
                }
                if self.weekday(k).is_some() {
                    return self.weekday_forms(k);
                }
                match w {
                    "yesterday" | "today" | "tonight" | "tomorrow" => {
                        let n = match w {
                            "yesterday" => -1,
                            "tomorrow" => 1,
                            _ => 0,
                        };
                        m(k, self.tod(k + 1), TimeValue::RelDay(n))
                    }
                    "overnight" => {
                        if self.weekday(k + 1).is_some() {
                            let wd = self.weekday_forms(k + 1)?;
                            return m(k, wd.end, wd.value);
                        }
                        m(k, k + 1, TimeValue::Overnight)
                    }
                    "last" | "this" | "next" => self.rel_forms(k),
                    "earlier" | "later" => self.earlier_later(k),
                    "the" => self.the_forms(k),
                    _ => {
                        if let Some(season) = season_word(w) {
                            return self.season_forms(k, season, cued);
                        }
                        self.qty_forms(k)
                    }
                }
            }
        }
    }

    /// "early", "late", "mid", "mid-" (split or joined), "the end of", "the
    /// beginning of", "the start of", "the middle of", "end of".
    fn part_prefix(&self, k: usize) -> Option<(Part, usize)> {
        let w = self.n(k);
        let part_of_word = |w: &str| match w {
            "early" => Some(Part::Early),
            "late" => Some(Part::Late),
            "mid" => Some(Part::Mid),
            _ => None,
        };
        if let Some(p) = part_of_word(w) {
            let j = if matches!(self.n(k + 1), "-" | "on" | "in") { k + 2 } else { k + 1 };
            return Some((p, j));
        }
        if w.starts_with("mid-") {
            return None; // "mid-2019", "mid-November": one token, read in qty_forms
        }
        let j = if w == "the" { k + 1 } else { k };
        let p = match self.n(j) {
            "end" => Part::Late,
            "beginning" | "start" => Part::Early,
            "middle" => Part::Mid,
            _ => return None,
        };
        if self.is(j + 1, "of") {
            // "the end of the year/month/week": the current one.
            if self.is(j + 2, "the") && matches!(self.n(j + 3), "year" | "month" | "week") {
                return None; // handled in the_forms via end_of_the
            }
            return Some((p, j + 2));
        }
        None
    }

    fn number_forms(&self, k: usize, cued: bool) -> Option<M> {
        // ISO date 2024-11-07, written without spaces.
        if let Some(y) = self.year4(k, 1000..=2999) {
            if self.is(k + 1, "-") && self.is(k + 3, "-") && self.adjacent(k, k + 4) {
                let mo = self.int(k + 2)?;
                let d = self.int(k + 4)?;
                if self.n(k + 2).len() == 2 && self.n(k + 4).len() == 2 {
                    let date = mk(i64::from(y), i8::try_from(mo).ok()?, i8::try_from(d).ok()?)?;
                    return m(k, k + 5, TimeValue::Date(date));
                }
            }
        }
        if let Some((y, e)) = self.decade(k) {
            return m(k, e, TimeValue::Decade(y));
        }
        if let Some(mm) = self.day_first(k) {
            return Some(mm);
        }
        if cued {
            if let Some(y) = self.year4(k, 1900..=2099) {
                // "2019-2021", "2019-21", "2019 to 2021"
                if matches!(self.n(k + 1), "-" | "to" | "through") {
                    let to = self.year4(k + 2, 1900..=2099).or_else(|| {
                        let t = self.t(k + 2)?;
                        (self.n(k + 1) == "-" && t.norm.len() == 2).then_some(())?;
                        let yy = i16::try_from(self.int(k + 2)?).ok()?;
                        Some(y - y % 100 + yy)
                    });
                    if let Some(to) = to.filter(|to| *to > y) {
                        return m(k, k + 3, TimeValue::YearRange { year: y, to_year: to });
                    }
                }
                if self.year_follower_ok(k + 1) {
                    return m(k, k + 1, TimeValue::Year(y));
                }
            }
        }
        self.qty_forms(k)
    }

    /// Tokens `a` and `b` are written without spaces between them.
    fn adjacent(&self, a: usize, b: usize) -> bool {
        (a..b).all(|x| match (self.t(x), self.t(x + 1)) {
            (Some(p), Some(q)) => p.end == q.start,
            _ => false,
        })
    }

    fn year_follower_ok(&self, k: usize) -> bool {
        match self.t(k) {
            None => true,
            Some(t) => t.kind != TokenKind::Word || t.cap || AFTER_YEAR.binary_search(&t.norm.as_str()).is_ok(),
        }
    }

    /// "29 August", "29th of August 2024", "18-19 November", "18 and 19 November".
    fn day_first(&self, k: usize) -> Option<M> {
        let d = self.day_num(k)?;
        let (to_day, j) = match self.n(k + 1) {
            "-" | "and" | "to" | "through" => match self.day_num(k + 2) {
                Some(d2) if d2 > d => (Some(d2), k + 3),
                _ => (None, k + 1),
            },
            _ => (None, k + 1),
        };
        let j = if self.is(j, "of") { j + 1 } else { j };
        let (mo, _) = self.month(j)?;
        let mut e = j + 1;
        if !valid_md(mo, d) || to_day.is_some_and(|d2| !valid_md(mo, d2)) {
            return None;
        }
        // Range across months: "30 November to 2 December".
        let mut to = to_day.map(|d2| (mo, d2));
        if to.is_none() && matches!(self.n(e), "-" | "to" | "through" | "until" | "till") {
            if let (Some(d2), Some((m2, _))) = (self.day_num(e + 1), self.month(e + 2)) {
                if valid_md(m2, d2) && (m2, d2) != (mo, d) {
                    to = Some((m2, d2));
                    e += 3;
                }
            }
        }
        let (year, e) = self.year_tail(e);
        let value = match (to, year) {
            (None, Some(y)) => TimeValue::Date(mk(i64::from(y), mo, d)?),
            (None, None) => TimeValue::MonthDay { month: mo, day: d },
            (Some((m2, d2)), y) => TimeValue::DayRange { month: mo, day: d, to_month: m2, to_day: d2, year: y },
        };
        m(k, e, value)
    }

    /// An optional ", 2024" / " 2024" after a day and month.
    fn year_tail(&self, e: usize) -> (Option<i16>, usize) {
        if let Some(y) = self.year4(e, 1000..=2999) {
            return (Some(y), e + 1);
        }
        if self.is(e, ",") {
            if let Some(y) = self.year4(e + 1, 1000..=2999) {
                return (Some(y), e + 2);
            }
        }
        (None, e)
    }

    /// A day number after a range word that is not a count ("November 18 and
    /// 19 people" is not a range).
    fn range_day(&self, k: usize, after: i8, month: i8) -> Option<i8> {
        let d2 = self.day_num(k)?;
        if d2 <= after || !valid_md(month, d2) {
            return None;
        }
        match self.t(k + 1) {
            Some(t) if t.kind == TokenKind::Word && !t.cap && self.month(k + 1).is_none() => {
                AFTER_YEAR.binary_search(&t.norm.as_str()).ok().map(|_| d2)
            }
            _ => Some(d2),
        }
    }

    fn month_forms(&self, k: usize, cued: bool) -> Option<M> {
        let (mo, strong) = self.month(k)?;
        let j = k + 1;
        if let Some(d) = self.day_num(j) {
            if !valid_md(mo, d) {
                return None;
            }
            let mut e = j + 1;
            let mut to: Option<(i8, i8)> = None;
            if matches!(self.n(e), "-" | "and" | "to" | "through" | "until" | "till") {
                if let Some(d2) = self.range_day(e + 1, d, mo) {
                    to = Some((mo, d2));
                    e += 2;
                } else if let (Some((m2, _)), Some(d2)) = (self.month(e + 1), self.day_num(e + 2)) {
                    if valid_md(m2, d2) && (m2, d2) != (mo, d) {
                        to = Some((m2, d2));
                        e += 3;
                    }
                }
            }
            let (year, e) = self.year_tail(e);
            let value = match (to, year) {
                (None, Some(y)) => TimeValue::Date(mk(i64::from(y), mo, d)?),
                (None, None) => TimeValue::MonthDay { month: mo, day: d },
                (Some((m2, d2)), y) => TimeValue::DayRange { month: mo, day: d, to_month: m2, to_day: d2, year: y },
            };
            return m(k, e, value);
        }
        if let Some(y) = self.year4(j, 1000..=2999) {
            return m(k, j + 1, TimeValue::Month { month: mo, year: Some(y) });
        }
        if self.is(j, "of") {
            if let Some(y) = self.year4(j + 1, 1000..=2999) {
                return m(k, j + 2, TimeValue::Month { month: mo, year: Some(y) });
            }
        }
        if self.is(j, ",") {
            if let Some(y) = self.year4(j + 1, 1000..=2999) {
                return m(k, j + 2, TimeValue::Month { month: mo, year: Some(y) });
            }
        }
        if strong || cued {
            return m(k, j, TimeValue::Month { month: mo, year: None });
        }
        None
    }

    fn weekday_forms(&self, k: usize) -> Option<M> {
        let wd = self.weekday(k)?;
        if k > self.lo && NOT_BEFORE_WEEKDAY.contains(&self.n(k - 1)) {
            return None;
        }
        if NOT_AFTER_WEEKDAY.contains(&self.n(k + 1)) {
            return None;
        }
        // "Thursday, November 7, 2024", "Thursday 7 November": the date wins.
        let j = if self.is(k + 1, ",") { k + 2 } else { k + 1 };
        let date = if self.month(j).is_some() && self.day_num(j + 1).is_some() {
            self.month_forms(j, true)
        } else if self.day_num(j).is_some() {
            self.day_first(j)
        } else {
            None
        };
        if let Some(d) = date {
            if matches!(d.value, TimeValue::Date(_) | TimeValue::MonthDay { .. }) {
                return m(k, d.end, d.value);
            }
        }
        m(k, self.tod(k + 1), TimeValue::Weekday { weekday: wd, shift: 0 })
    }

    /// At "last" / "this" / "next".
    fn rel_forms(&self, k: usize) -> Option<M> {
        let shift: i8 = match self.n(k) {
            "last" => -1,
            "next" => 1,
            _ => 0,
        };
        let j = k + 1;
        let w = self.n(j);
        match w {
            "week" | "month" | "year" => {
                let unit = match w {
                    "week" => Grain::Week,
                    "month" => Grain::Month,
                    _ => Grain::Year,
                };
                return m(k, j + 1, TimeValue::RelUnit { unit, shift });
            }
            "weekend" => return m(k, j + 1, TimeValue::Weekend { shift }),
            "night" if shift < 0 => return m(k, j + 1, TimeValue::RelDay(-1)),
            "morning" | "afternoon" | "evening" if shift == 0 => return m(k, j + 1, TimeValue::RelDay(0)),
            "evening" if shift < 0 => return m(k, j + 1, TimeValue::RelDay(-1)),
            _ => {}
        }
        if let Some(wd) = self.weekday(j) {
            return m(k, self.tod(j + 1), TimeValue::Weekday { weekday: wd, shift });
        }
        if let Some((mo, _)) = self.month(j) {
            return m(k, j + 1, TimeValue::RelMonth { month: mo, shift });
        }
        if let Some(season) = season_word(w) {
            return m(k, j + 1, TimeValue::RelSeason { season, shift });
        }
        if shift != 0 {
            // "last two weeks", "next 24 hours"
            if let Some((Qty::Exact(n), e)) = self.qty(j) {
                if !matches!(self.n(j), "a" | "an") {
                    let (u, adj) = self.unit(e)?;
                    if !adj {
                        let (amount, unit) = u.amount(n)?;
                        return m(k, e + 1, TimeValue::Within { amount, unit, future: shift > 0 });
                    }
                }
            }
        }
        None
    }

    /// At "earlier" / "later": "earlier this month", "later today", "later in
    /// the week".
    fn earlier_later(&self, k: usize) -> Option<M> {
        let earlier = self.is(k, "earlier");
        let j = k + 1;
        let unit_at = |x: usize| match self.n(x) {
            "week" => Some(Grain::Week),
            "month" => Some(Grain::Month),
            "year" => Some(Grain::Year),
            _ => None,
        };
        let value = |g| {
            if earlier {
                TimeValue::EarlierThis(g)
            } else {
                TimeValue::LaterThis(g)
            }
        };
        match self.n(j) {
            "this" => {
                if let Some(g) = unit_at(j + 1) {
                    return m(k, j + 2, value(g));
                }
                if matches!(self.n(j + 1), "morning" | "afternoon" | "evening") {
                    return m(k, j + 2, TimeValue::RelDay(0));
                }
                None
            }
            "today" | "tonight" => m(k, j + 1, TimeValue::RelDay(0)),
            "in" if self.is(j + 1, "the") => {
                if let Some(g) = unit_at(j + 2) {
                    return m(k, j + 3, value(g));
                }
                if self.is(j + 2, "day") {
                    return m(k, j + 3, TimeValue::RelDay(0));
                }
                None
            }
            _ => None,
        }
    }

    /// At "the".
    fn the_forms(&self, k: usize) -> Option<M> {
        let j = k + 1;
        if let Some((y, e)) = self.decade(j) {
            return m(k, e, TimeValue::Decade(y));
        }
        if self.is(j, "year") {
            if let Some(y) = self.year4(j + 1, 1000..=2999) {
                return m(k, j + 2, TimeValue::Year(y));
            }
        }
        // "the end of the year", "the beginning of the month": the current one.
        if let Some(p) = match self.n(j) {
            "end" => Some(Part::Late),
            "beginning" | "start" => Some(Part::Early),
            "middle" => Some(Part::Mid),
            _ => None,
        } {
            if self.is(j + 1, "of") && self.is(j + 2, "the") {
                let unit = match self.n(j + 3) {
                    "year" => Grain::Year,
                    "month" => Grain::Month,
                    "week" => Grain::Week,
                    _ => return None,
                };
                let of = Box::new(TimeValue::RelUnit { unit, shift: 0 });
                return m(k, j + 4, TimeValue::Part { part: p, of });
            }
        }
        if self.is(j, "day") && self.is(j + 2, "yesterday") && self.is(j + 1, "before") {
            return m(k, j + 3, TimeValue::RelDay(-2));
        }
        if self.is(j, "day") && self.is(j + 2, "tomorrow") && self.is(j + 1, "after") {
            return m(k, j + 3, TimeValue::RelDay(2));
        }
        if self.is(j, "weekend") {
            return m(k, j + 1, TimeValue::Weekend { shift: 0 });
        }
        if let Some(season) = season_word(self.n(j)) {
            let mm = self.season_forms(j, season, season != Season::Autumn || self.n(j) == "autumn")?;
            return m(k, mm.end, mm.value);
        }
        // "the 29th of August"
        if self.day_num(j).is_some() {
            let mm = self.day_first(j)?;
            return m(k, mm.end, mm.value);
        }
        // "the week after X", "the day before X", "the same day"
        if let Some((u, false)) = self.unit(j) {
            if matches!(self.n(j + 1), "after" | "before") {
                return self.offset(k, j + 1, 1, u);
            }
        }
        let after = match self.n(j) {
            "next" | "following" | "subsequent" => Some(true),
            "previous" | "preceding" | "prior" => Some(false),
            "same" => None,
            _ => {
                let w = self.window_after_the(j)?;
                return m(k, w.end, w.value);
            }
        };
        let (u, adj) = self.unit(j + 1)?;
        if adj {
            return None;
        }
        let (amount, unit) = match after {
            None => (0, Grain::Day),
            Some(_) => u.amount(1)?,
        };
        let e = j + 2;
        m(k, e, TimeValue::Offset { amount, unit, after: after.unwrap_or(true), anchor: e..e })
    }

    /// "summer 2016", "summer of 2016", "in summer" (when `cued`).
    fn season_forms(&self, k: usize, season: Season, cued: bool) -> Option<M> {
        if let Some(y) = self.year4(k + 1, 1000..=2999) {
            return m(k, k + 2, TimeValue::Season { season, year: Some(y) });
        }
        if self.is(k + 1, "of") {
            if let Some(y) = self.year4(k + 2, 1000..=2999) {
                return m(k, k + 3, TimeValue::Season { season, year: Some(y) });
            }
            return None; // "the fall of Kabul"
        }
        (cued && self.n(k) != "fall").then(|| M { start: k, end: k + 1, value: TimeValue::Season { season, year: None } })
    }

    /// Counted forms: "three days ago", "two weeks before ...", "a day after
    /// ...", "two years later", "for two years", "a 2-year-old war", "ten-day".
    fn qty_forms(&self, k: usize) -> Option<M> {
        let w = self.n(k);
        if compound_duration(w) {
            return m(k, k + 1, TimeValue::Duration);
        }
        // "mid-2019", "mid-November" as one token.
        if let Some(rest) = w.strip_prefix("mid-") {
            if let Ok(y) = rest.parse::<i16>() {
                if (1000..=2999).contains(&y) && rest.len() == 4 {
                    return m(k, k + 1, TimeValue::Part { part: Part::Mid, of: Box::new(TimeValue::Year(y)) });
                }
            }
            let t = self.t(k)?;
            if t.cap || rest.len() > 2 {
                if let Some((mo, _)) = month_word(rest) {
                    let (year, e) = self.year_tail(k + 1);
                    return m(k, e, TimeValue::Part { part: Part::Mid, of: Box::new(TimeValue::Month { month: mo, year }) });
                }
            }
            return None;
        }
        let (q, j) = match self.qty(k) {
            Some(x) => x,
            None => {
                // bare plural unit: "days ago", "hours after"
                let (_, adj) = self.unit(k)?;
                if adj || !self.n(k).ends_with('s') {
                    return None;
                }
                (Qty::Vague, k)
            }
        };
        // "2-year-old", "30-minute"
        if j > k && self.int(j - 1).is_some() && self.is(j, "-") && self.unit(j + 1).is_some() {
            return m(k, j + 2, TimeValue::Duration);
        }
        if compound_duration(self.n(j)) {
            return m(j, j + 1, TimeValue::Duration); // "a ten-day exercise"
        }
        let (u, adj) = self.unit(j)?;
        let e = j + 1;
        if adj {
            return m(k, e, TimeValue::Duration);
        }
        match (self.n(e), q) {
            ("ago", Qty::Exact(n)) => {
                let (amount, unit) = u.amount(n)?;
                m(k, e + 1, TimeValue::Ago { amount, unit })
            }
            ("ago", Qty::Vague) => match u {
                U::Minute | U::Hour => m(k, e + 1, TimeValue::RelDay(0)),
                _ => match recent_unit(u) {
                    Some(unit) => m(k, e + 1, TimeValue::Recent { unit, future: false }),
                    None => m(k, e + 1, TimeValue::Duration),
                },
            },
            ("from", Qty::Exact(n)) if self.is(e + 1, "now") => {
                let (amount, unit) = u.amount(n)?;
                m(k, e + 2, TimeValue::Ago { amount: amount.checked_neg()?, unit })
            }
            ("after" | "before", q) => match (q, u) {
                (Qty::Exact(n), _) => self.offset(k, e, n, u),
                (Qty::Vague, U::Minute | U::Hour) => self.offset(k, e, 0, u),
                (Qty::Vague, _) => m(k, e, TimeValue::Duration),
            },
            ("later" | "earlier", Qty::Exact(n)) => {
                let (amount, unit) = u.amount(n)?;
                let after = self.is(e, "later");
                m(k, e + 1, TimeValue::Offset { amount, unit, after, anchor: e + 1..e + 1 })
            }
            _ => m(k, e, TimeValue::Duration),
        }
    }

    /// An offset whose "after"/"before" is at `at`: the anchor phrase runs to the
    /// first punctuation or clause word (at most [`MAX_ANCHOR_TOKENS`]).
    fn offset(&self, k: usize, at: usize, n: i64, u: U) -> Option<M> {
        let (amount, unit) = u.amount(n)?;
        let after = self.is(at, "after");
        let a = at + 1;
        let mut e = a;
        while e < self.hi && e - a < MAX_ANCHOR_TOKENS {
            let t = &self.toks[e];
            let stop = match t.kind {
                TokenKind::Punct => !matches!(t.norm.as_str(), "-" | "/" | "&"),
                TokenKind::Word => ANCHOR_STOP.binary_search(&t.norm.as_str()).is_ok(),
                TokenKind::Number => false,
            };
            if stop {
                break;
            }
            e += 1;
        }
        m(k, e, TimeValue::Offset { amount, unit, after, anchor: a..e })
    }
}

/// The grain of a vague "recent days/weeks/months".
fn recent_unit(u: U) -> Option<Grain> {
    match u {
        U::Day => Some(Grain::Day),
        U::Week | U::Fortnight => Some(Grain::Week),
        U::Month => Some(Grain::Month),
        _ => None,
    }
}

/// Can `day` be a day of `month` in some year (February 29 included)?
fn valid_md(month: i8, day: i8) -> bool {
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=max).contains(&day)
}

/// Join two expressions of "from A to B" / "between A and B" into one range.
fn range_of(a: &TimeValue, b: &TimeValue) -> Option<TimeValue> {
    use TimeValue as V;
    Some(match (a, b) {
        (V::Year(x), V::Year(y)) if x < y => V::YearRange { year: *x, to_year: *y },
        (V::Month { month, year }, V::Month { month: to_month, year: to_year }) => {
            if year.is_some() && to_year.is_none() {
                return None;
            }
            V::MonthRange { month: *month, year: *year, to_month: *to_month, to_year: *to_year }
        }
        (V::MonthDay { month, day }, V::MonthDay { month: m2, day: d2 }) => {
            V::DayRange { month: *month, day: *day, to_month: *m2, to_day: *d2, year: None }
        }
        (V::MonthDay { month, day }, V::Date(d)) => {
            V::DayRange { month: *month, day: *day, to_month: d.month(), to_day: d.day(), year: Some(d.year()) }
        }
        (V::Date(x), V::Date(y)) if x <= y => V::DateRange { start: *x, end: *y },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyse;
    use Tense::{Future, Past, Present};

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    /// A hyphenated word is a head when its first part, in its first ten bytes,
    /// is "mid", a number word or a unit word.
    #[test]
    fn hyphenated_compounds_are_heads_by_their_first_part() {
        for w in ["ten-day", "mid-2019", "two-year-old", "year-long", "seventeen-day", "centuries-old"] {
            assert!(compound_head(w), "{w}");
        }
        for w in ["well-known", "x-ray", "ceasefire", "day-", "seventeenth-day", "anti-war", "mid"] {
            assert!(!compound_head(w), "{w}");
        }
    }

    /// The time classes a lexicon's lookup leaves on the tokens give the same
    /// expressions as looking each token up in the anchors' table, in every
    /// sentence of the expectations below (which need all three classes).
    #[test]
    fn classes_from_the_lexicon_lookup_find_what_the_table_finds() {
        let lex = &Lexicon::builtin().expect("built-in lexicon loads");
        let mut found = 0;
        for (sentence, ..) in ROWS {
            let mut t = analyse(sentence);
            lex.token_ids(&mut t, sentence);
            for si in 0..t.sentences.len() {
                let by_table = find_with(&t, si, Anchors::builtin());
                assert_eq!(find_in(&t, si, lex), by_table, "{sentence}");
                found += by_table.len();
            }
        }
        assert!(found > ROWS.len() / 2, "the expectations hold expressions: {found}");
    }

    /// A lexicon's own anchors are the ones its tokens are classed by: an event
    /// only its anchor file names dates text coded with it, and not with the
    /// built-in lexicon.
    #[test]
    fn a_lexicon_with_its_own_anchors_classes_their_words() {
        let anchors = "Zorblax summit | 2019-03-01 | 2019-03-02\n";
        let own = Lexicon::from_texts([(ANCHORS_FILE.to_string(), anchors.to_string())].into_iter()).expect("lexicon loads");
        let sentence = "They met again a week after the Zorblax summit.";
        let offsets = |lex: &Lexicon| {
            let mut t = analyse(sentence);
            lex.token_ids(&mut t, sentence);
            find_in(&t, 0, lex).into_iter().filter(|e| matches!(e.value, TimeValue::Anchor { .. })).count()
        };
        assert_eq!(offsets(&own), 1);
        assert_eq!(offsets(&Lexicon::builtin().expect("built-in lexicon loads")), 0);
    }

    /// All expressions of all sentences of `text`.
    fn all(text: &str) -> (Text, Vec<TimeExpr>) {
        let t = analyse(text);
        let exprs = (0..t.sentences.len()).flat_map(|s| find(&t, s)).collect();
        (t, exprs)
    }

    fn surface<'a>(src: &'a str, t: &Text, e: &TimeExpr) -> &'a str {
        if e.start >= e.end {
            return "";
        }
        &src[t.tokens[e.start].start..t.tokens[e.end - 1].end]
    }

    /// Is `e` inside the anchor phrase of an earlier offset?
    fn nested(e: &TimeExpr, exprs: &[TimeExpr]) -> bool {
        exprs.iter().any(
            |o| matches!(&o.value, TimeValue::Offset { anchor, .. } if anchor.start <= e.start && e.end <= anchor.end && e.start < e.end),
        )
    }

    /// Expectations: "START END grain basis", "duration" (the expression is a
    /// duration), "none" (found, but resolves to nothing), "-" (no expression
    /// at all). `span` picks the expression by its text ("" = the first one not
    /// nested in an offset's anchor).
    type Row = (&'static str, &'static str, Tense, &'static str, &'static str);

    const ROWS: &[Row] = &[
        // -- the seed article (published Thursday 2024-11-07) --
        (
            "Ishiba told reporters he spoke with Trump for about five minutes on Thursday morning.",
            "2024-11-07",
            Past,
            "2024-11-07 2024-11-07 day relative",
            "on Thursday morning",
        ),
        (
            "Ishiba told reporters he spoke with Trump for about five minutes on Thursday morning.",
            "2024-11-07",
            Past,
            "duration",
            "for about five minutes",
        ),
        (
            "Ishiba seeks a meeting after the G20 summit in Brazil, which is scheduled for November 18 and 19.",
            "2024-11-07",
            Future,
            "2024-11-18 2024-11-19 day explicit",
            "November 18 and 19",
        ),
        (
            "He has booked a trip to the APEC forum in Peru from November 10-16, followed by the G20.",
            "2024-11-07",
            Future,
            "2024-11-10 2024-11-16 day explicit",
            "from November 10-16",
        ),
        (
            "Abe arranged a similar meeting with Trump at Trump Tower in New York the week after the 2016 election.",
            "2024-11-07",
            Past,
            "2016-11-09 2016-11-15 week anchored",
            "the week after the 2016 election",
        ),
        (
            "Abe arranged a similar meeting with Trump at Trump Tower in New York the week after the 2016 election.",
            "2024-11-07",
            Past,
            "2016-11-08 2016-11-08 day anchored",
            "the 2016 election",
        ),
        (
            "Trump was heartbroken when Abe was assassinated in July 2022.",
            "2024-11-07",
            Past,
            "2022-07-01 2022-07-31 month explicit",
            "in July 2022",
        ),
        (
            "Turnout fell nine months after the Brexit referendum.",
            "2024-11-07",
            Past,
            "2017-03-01 2017-03-31 month anchored",
            "nine months after the Brexit referendum",
        ),
        (
            "A gunman tried to kill him at a rally in Butler, Pennsylvania on July 13.",
            "2024-11-07",
            Past,
            "2024-07-13 2024-07-13 day explicit",
            "on July 13",
        ),
        (
            "The SOFA has not been significantly revised since it was written in 1960.",
            "2024-11-07",
            Past,
            "1960-01-01 1960-12-31 year explicit",
            "in 1960",
        ),
        ("The agreement has governed the bases since 1960.", "2024-11-07", Past, "1960-01-01 2024-11-07 year explicit", "since 1960"),
        (
            "Last month, Ishiba called for Japan to establish a military presence on Guam.",
            "2024-11-07",
            Past,
            "2024-10-01 2024-10-31 month relative",
            "Last month",
        ),
        (
            "Ishiba would have a lot to discuss if he can arrange his meeting in November.",
            "2024-11-07",
            Future,
            "2024-11-07 2024-11-30 month explicit",
            "in November",
        ),
        ("Ishiba met him in November.", "2024-11-07", Past, "2024-11-01 2024-11-07 month explicit", "in November"),
        ("Ishiba meets him in November.", "2024-11-07", Present, "2024-11-01 2024-11-30 month explicit", "in November"),
        (
            "They have bad memories of the occupation during World War II.",
            "2024-11-07",
            Past,
            "1939-09-01 1945-09-02 year anchored",
            "during World War II",
        ),
        (
            "Abe resigned his office in September 2020 due to health problems.",
            "2024-11-07",
            Past,
            "2020-09-01 2020-09-30 month explicit",
            "in September 2020",
        ),
        // -- weekdays --
        ("He will travel to Lima on Thursday.", "2024-11-07", Future, "2024-11-07 2024-11-07 day relative", "on Thursday"),
        ("He spoke on Friday.", "2024-11-07", Past, "2024-11-01 2024-11-01 day relative", "on Friday"),
        ("He will speak on Friday.", "2024-11-07", Future, "2024-11-08 2024-11-08 day relative", "on Friday"),
        ("He will visit Seoul on Wednesday.", "2024-11-07", Future, "2024-11-13 2024-11-13 day relative", "on Wednesday"),
        ("He visits Seoul on Wednesday.", "2024-11-07", Present, "2024-11-06 2024-11-06 day relative", "on Wednesday"),
        ("The vote is set for Monday.", "2024-11-07", Future, "2024-11-11 2024-11-11 day relative", "Monday"),
        (
            "The European Union foreign ministers Thursday agreed to adopt sanctions.",
            "2014-02-21",
            Past,
            "2014-02-20 2014-02-20 day relative",
            "Thursday",
        ),
        (
            "Gunmen shot dead a prominent lawmaker in Mogadishu late Saturday.",
            "2019-02-23",
            Past,
            "2019-02-23 2019-02-23 day relative",
            "late Saturday",
        ),
        ("Saturday's attack occurred in the same market.", "2008-09-07", Past, "2008-09-06 2008-09-06 day relative", "Saturday"),
        (
            "The minister was arrested in the wee hours of Wednesday.",
            "2023-01-25",
            Past,
            "2023-01-25 2023-01-25 day relative",
            "in the wee hours of Wednesday",
        ),
        (
            "The exercises, which are due to begin on Monday, were condemned.",
            "2017-08-20",
            Future,
            "2017-08-21 2017-08-21 day relative",
            "on Monday",
        ),
        ("Police raided the house last Tuesday.", "2024-11-07", Past, "2024-11-05 2024-11-05 day relative", "last Tuesday"),
        ("Police raided the house last Thursday.", "2024-11-07", Past, "2024-10-31 2024-10-31 day relative", "last Thursday"),
        ("They will meet next Monday.", "2024-11-07", Future, "2024-11-11 2024-11-11 day relative", "next Monday"),
        ("They will meet next Thursday.", "2024-11-07", Future, "2024-11-14 2024-11-14 day relative", "next Thursday"),
        (
            "Protesters gathered outside parliament Saturday night.",
            "2024-11-07",
            Past,
            "2024-11-02 2024-11-02 day relative",
            "Saturday night",
        ),
        ("Rockets hit the city early Tuesday.", "2024-11-07", Past, "2024-11-05 2024-11-05 day relative", "early Tuesday"),
        (
            "The statement was issued on Thursday, Nov. 7, 2024, in Lima.",
            "2025-03-01",
            Past,
            "2024-11-07 2024-11-07 day explicit",
            "on Thursday, Nov. 7, 2024",
        ),
        ("The Sunday Times reported the story.", "2024-11-07", Past, "-", ""),
        ("Police arrested the leader on Sunday.", "2024-02-29", Past, "2024-02-25 2024-02-25 day relative", "on Sunday"),
        ("Voters go to the polls on Sunday.", "2024-12-31", Future, "2025-01-05 2025-01-05 day relative", "on Sunday"),
        // -- days relative to publication --
        (
            "A Syrian government airstrike killed at least 20 people yesterday.",
            "2013-04-14",
            Past,
            "2013-04-13 2013-04-13 day relative",
            "yesterday",
        ),
        ("Yesterday's raid struck the town.", "2024-03-01", Past, "2024-02-29 2024-02-29 day relative", "Yesterday"),
        ("The army withdrew yesterday.", "2023-03-01", Past, "2023-02-28 2023-02-28 day relative", "yesterday"),
        ("He added to the $30 million pledged today.", "2022-08-30", Past, "2022-08-30 2022-08-30 day relative", "today"),
        ("The minister will speak tonight.", "2024-11-07", Future, "2024-11-07 2024-11-07 day relative", "tonight"),
        ("The leaders will meet tomorrow.", "2024-12-31", Future, "2025-01-01 2025-01-01 day relative", "tomorrow"),
        (
            "A case was registered last night at the Kohsar police station.",
            "2023-01-25",
            Past,
            "2023-01-24 2023-01-24 day relative",
            "last night",
        ),
        ("Russia launched dozens of drones at Kyiv overnight.", "2024-11-07", Past, "2024-11-06 2024-11-06 day relative", "overnight"),
        ("The army says it will strike again overnight.", "2024-11-07", Future, "2024-11-07 2024-11-07 day relative", "overnight"),
        (
            "The talks collapsed the day before yesterday.",
            "2024-11-01",
            Past,
            "2024-10-30 2024-10-30 day relative",
            "the day before yesterday",
        ),
        ("The envoy arrived yesterday afternoon.", "2024-11-07", Past, "2024-11-06 2024-11-06 day relative", "yesterday afternoon"),
        ("Officials met earlier today.", "2024-11-07", Past, "2024-11-07 2024-11-07 day relative", "earlier today"),
        // -- weeks, months, years relative to publication --
        (
            "A Human Rights Watch report last week accused the government of war crimes.",
            "2013-04-14",
            Past,
            "2013-04-01 2013-04-07 week relative",
            "last week",
        ),
        ("Talks continue this week.", "2024-11-07", Present, "2024-11-04 2024-11-10 week relative", "this week"),
        ("Talks began this week.", "2024-11-07", Past, "2024-11-04 2024-11-07 week relative", "this week"),
        (
            "The US will launch the ten-day exercise with South Korea this week.",
            "2017-08-20",
            Future,
            "2017-08-21 2017-08-27 week relative",
            "this week",
        ),
        ("The leaders will meet next week.", "2024-11-07", Future, "2024-11-11 2024-11-17 week relative", "next week"),
        ("The leaders will meet next week.", "2024-12-30", Future, "2025-01-06 2025-01-12 week relative", "next week"),
        ("Parliament was dissolved last month.", "2024-01-15", Past, "2023-12-01 2023-12-31 month relative", "last month"),
        ("Parliament was dissolved last month.", "2024-03-10", Past, "2024-02-01 2024-02-29 month relative", "last month"),
        ("The new cabinet will be sworn in next month.", "2024-12-05", Future, "2025-01-01 2025-01-31 month relative", "next month"),
        ("The economy shrank last year.", "2024-11-07", Past, "2023-01-01 2023-12-31 year relative", "last year"),
        ("Elections are due next year.", "2024-11-07", Future, "2025-01-01 2025-12-31 year relative", "next year"),
        ("Attacks rose from eight in 2007 to 29 this year.", "2008-09-07", Past, "2008-01-01 2008-09-07 year relative", "this year"),
        (
            "The US also provided $1.1 million in grants earlier this month.",
            "2022-08-30",
            Past,
            "2022-08-01 2022-08-29 month relative",
            "earlier this month",
        ),
        ("The US also provided $1.1 million in grants earlier this month.", "2022-08-01", Past, "none", "earlier this month"),
        ("Prices rose earlier this year.", "2024-03-01", Past, "2024-01-01 2024-02-29 year relative", "earlier this year"),
        ("A summit is planned later this month.", "2024-11-07", Future, "2024-11-08 2024-11-30 month relative", "later this month"),
        (
            "He was the party's candidate in last week's disputed presidential election.",
            "2020-11-02",
            Past,
            "2020-10-26 2020-11-01 week relative",
            "last week",
        ),
        ("Thousands marched last weekend.", "2024-11-07", Past, "2024-11-02 2024-11-03 day relative", "last weekend"),
        ("Thousands marched over the weekend.", "2024-11-04", Past, "2024-11-02 2024-11-03 day relative", "over the weekend"),
        ("Thousands will march this weekend.", "2024-11-07", Future, "2024-11-09 2024-11-10 day relative", "this weekend"),
        ("The bill will pass by the end of the year.", "2024-11-07", Future, "2024-11-07 2024-12-31 month relative", "the end of the year"),
        (
            "Iwaya took office last month with the launch of the new cabinet.",
            "2024-11-15",
            Past,
            "2024-10-01 2024-10-31 month relative",
            "last month",
        ),
        // -- ago, recent, windows --
        ("The ceasefire collapsed three days ago.", "2024-03-02", Past, "2024-02-28 2024-02-28 day relative", "three days ago"),
        ("The ceasefire collapsed two weeks ago.", "2024-11-07", Past, "2024-10-21 2024-10-27 week relative", "two weeks ago"),
        ("The ceasefire collapsed a month ago.", "2024-03-31", Past, "2024-02-01 2024-02-29 month relative", "a month ago"),
        ("The ceasefire collapsed two years ago.", "2024-11-07", Past, "2022-01-01 2022-12-31 year relative", "two years ago"),
        ("The war ended a decade ago.", "2024-11-07", Past, "2014-01-01 2014-12-31 year relative", "a decade ago"),
        ("The envoy arrived about a week ago.", "2024-11-07", Past, "2024-10-28 2024-11-03 week relative", "about a week ago"),
        ("He returned from Moscow days ago.", "2024-11-07", Past, "2024-11-01 2024-11-07 week relative", "days ago"),
        ("Fighting has intensified in recent days.", "2024-11-07", Past, "2024-11-01 2024-11-07 week relative", "in recent days"),
        ("Fighting has intensified in recent weeks.", "2024-11-07", Past, "2024-10-11 2024-11-07 month relative", "in recent weeks"),
        ("More troops will arrive in the coming days.", "2024-11-07", Future, "2024-11-07 2024-11-13 week relative", "in the coming days"),
        (
            "Shelling has killed 40 people in the past two weeks.",
            "2024-11-07",
            Past,
            "2024-10-24 2024-11-07 week relative",
            "in the past two weeks",
        ),
        (
            "A decision is expected in the next 24 hours.",
            "2024-11-07",
            Future,
            "2024-11-07 2024-11-08 day relative",
            "in the next 24 hours",
        ),
        (
            "The measures will be imposed rapidly in the next hours.",
            "2014-02-21",
            Future,
            "2014-02-21 2014-02-21 day relative",
            "in the next hours",
        ),
        ("The exercises will start two weeks from now.", "2024-11-07", Future, "2024-11-18 2024-11-24 week relative", "two weeks from now"),
        // -- explicit days --
        (
            "A USAID specialist arrived in Pakistan on 29th August to assess the floods.",
            "2022-08-30",
            Past,
            "2022-08-29 2022-08-29 day explicit",
            "on 29th August",
        ),
        (
            "The attack on Mr Skripal and his daughter on March 4 was condemned.",
            "2018-03-14",
            Past,
            "2018-03-04 2018-03-04 day explicit",
            "on March 4",
        ),
        (
            "Protesters shouted against the king's February 1 emergency proclamation.",
            "2005-03-09",
            Past,
            "2005-02-01 2005-02-01 day explicit",
            "February 1",
        ),
        (
            "Brussels, Feb 21 : The European Union foreign ministers agreed to adopt sanctions.",
            "2014-02-21",
            Past,
            "2014-02-21 2014-02-21 day explicit",
            "Feb 21",
        ),
        (
            "New Delhi, May 25 (IANS) US President Donald Trump called Modi.",
            "2019-05-25",
            Past,
            "2019-05-25 2019-05-25 day explicit",
            "May 25",
        ),
        ("The rally will be held on July 13.", "2024-11-07", Future, "2025-07-13 2025-07-13 day explicit", "on July 13"),
        ("The rally is on July 13.", "2024-11-07", Present, "2024-07-13 2024-07-13 day explicit", "on July 13"),
        ("The rally is on December 1.", "2024-11-07", Present, "2024-12-01 2024-12-01 day explicit", "on December 1"),
        ("The deal was struck on the 29th of August.", "2024-11-07", Past, "2024-08-29 2024-08-29 day explicit", "on the 29th of August"),
        ("The deal was struck August 29th in Doha.", "2024-11-07", Past, "2024-08-29 2024-08-29 day explicit", "August 29th"),
        ("The decree was signed on Feb. 29.", "2025-06-01", Past, "2024-02-29 2024-02-29 day explicit", "on Feb. 29"),
        ("The vote will be held on Feb. 29.", "2024-03-01", Future, "2028-02-29 2028-02-29 day explicit", "on Feb. 29"),
        ("The decree was signed on Feb. 29.", "2024-02-29", Past, "2024-02-29 2024-02-29 day explicit", "on Feb. 29"),
        (
            "The deal was signed on November 7, 2024, in Lima.",
            "2025-01-10",
            Past,
            "2024-11-07 2024-11-07 day explicit",
            "on November 7, 2024",
        ),
        ("The deal was signed on 7 November 2024 in Lima.", "2025-01-10", Past, "2024-11-07 2024-11-07 day explicit", "on 7 November 2024"),
        ("Filed 2024-11-07 by our correspondent.", "2025-01-10", Past, "2024-11-07 2024-11-07 day explicit", "2024-11-07"),
        ("The blockade began on Dec. 31.", "2025-01-02", Past, "2024-12-31 2024-12-31 day explicit", "on Dec. 31"),
        ("The talks resume on Jan. 3.", "2024-12-28", Future, "2025-01-03 2025-01-03 day explicit", "on Jan. 3"),
        (
            "He was killed on November 18 and 19 people were wounded.",
            "2024-11-20",
            Past,
            "2024-11-18 2024-11-18 day explicit",
            "on November 18",
        ),
        // -- ranges --
        ("The forum runs Nov. 10-16 in Lima.", "2024-11-07", Future, "2024-11-10 2024-11-16 day explicit", "Nov. 10-16"),
        (
            "The summit was held November 18-19, 2024, in Rio.",
            "2025-02-01",
            Past,
            "2024-11-18 2024-11-19 day explicit",
            "November 18-19, 2024",
        ),
        (
            "He will be in Peru from November 10 to 16.",
            "2024-11-07",
            Future,
            "2024-11-10 2024-11-16 day explicit",
            "from November 10 to 16",
        ),
        (
            "He will be in Peru between November 10 and 16.",
            "2024-11-07",
            Future,
            "2024-11-10 2024-11-16 day explicit",
            "between November 10 and 16",
        ),
        (
            "The drills run from November 30 to December 2.",
            "2024-11-07",
            Future,
            "2024-11-30 2024-12-02 day explicit",
            "from November 30 to December 2",
        ),
        (
            "The truce holds from December 30 to January 2.",
            "2024-11-07",
            Future,
            "2024-12-30 2025-01-02 day explicit",
            "from December 30 to January 2",
        ),
        (
            "The summit takes place on 18 and 19 November in Rio.",
            "2024-11-07",
            Future,
            "2024-11-18 2024-11-19 day explicit",
            "on 18 and 19 November",
        ),
        ("Inflation doubled between 2019 and 2021.", "2024-11-07", Past, "2019-01-01 2021-12-31 year explicit", "between 2019 and 2021"),
        ("He led the army from 2019 to 2021.", "2024-11-07", Past, "2019-01-01 2021-12-31 year explicit", "from 2019 to 2021"),
        (
            "Exports fell between January and March.",
            "2024-11-07",
            Past,
            "2024-01-01 2024-03-31 month explicit",
            "between January and March",
        ),
        (
            "He served as envoy from May 2023 to June 2024.",
            "2024-11-07",
            Past,
            "2023-05-01 2024-06-30 month explicit",
            "from May 2023 to June 2024",
        ),
        // -- months, seasons, years, decades --
        ("Protests began in November in the country.", "2014-02-21", Past, "2013-11-01 2013-11-30 month explicit", "in November"),
        ("A summit is planned in November.", "2024-12-05", Future, "2025-11-01 2025-11-30 month explicit", "in November"),
        ("Abe met Trump in 2016.", "2024-11-07", Past, "2016-01-01 2016-12-31 year explicit", "in 2016"),
        ("Growth slowed in 2024.", "2024-11-07", Past, "2024-01-01 2024-11-07 year explicit", "in 2024"),
        ("The group was founded in the 1990s.", "2024-11-07", Past, "1990-01-01 1999-12-31 year explicit", "in the 1990s"),
        ("The group thrived in the '80s.", "2024-11-07", Past, "1980-01-01 1989-12-31 year explicit", "in the '80s"),
        ("Talks stalled in mid-2019.", "2024-11-07", Past, "2019-05-01 2019-08-31 month explicit", "in mid-2019"),
        ("Talks stalled in early November.", "2024-11-20", Past, "2024-11-01 2024-11-10 week explicit", "in early November"),
        ("Talks stalled in late 2019.", "2024-11-07", Past, "2019-09-01 2019-12-31 month explicit", "in late 2019"),
        ("Elections were held last May.", "2024-11-07", Past, "2024-05-01 2024-05-31 month relative", "last May"),
        ("Elections will be held next March.", "2024-11-07", Future, "2025-03-01 2025-03-31 month relative", "next March"),
        ("Elections were held in May.", "2024-11-07", Past, "2024-05-01 2024-05-31 month explicit", "in May"),
        (
            "Mrs May told MPs on Wednesday that Russia was culpable.",
            "2018-03-14",
            Past,
            "2018-03-14 2018-03-14 day relative",
            "on Wednesday",
        ),
        ("Theresa May said Russia was culpable.", "2018-03-14", Past, "-", ""),
        ("Ministers will boycott this summer's World Cup.", "2018-03-14", Future, "2018-06-01 2018-08-31 month relative", "this summer"),
        (
            "Airstrikes have killed 4,300 people since the summer.",
            "2013-04-14",
            Past,
            "2012-06-01 2013-04-14 month explicit",
            "since the summer",
        ),
        ("Gas prices soared in the winter of 2022.", "2024-11-07", Past, "2022-12-01 2023-02-28 month explicit", "in the winter of 2022"),
        ("Prices have risen since last month.", "2024-11-07", Past, "2024-10-01 2024-11-07 month relative", "since last month"),
        (
            "The region has been unstable since the Arab Spring.",
            "2024-11-07",
            Past,
            "2010-12-17 2024-11-07 year anchored",
            "since the Arab Spring",
        ),
        ("Security was tightened after 9/11.", "2024-11-07", Past, "2001-09-11 2001-09-11 day anchored", "9/11"),
        // -- numbers that are not dates --
        ("Britain is expelling 23 Russian diplomats.", "2018-03-14", Past, "-", ""),
        ("Nepali police arrested more than 180 activists.", "2005-03-09", Past, "-", ""),
        ("The council cited Resolution 2254 in its statement.", "2024-11-07", Past, "-", ""),
        ("Civilians died in 2000 attacks on the city.", "2024-11-07", Past, "-", ""),
        ("The 2254 resolution stands.", "2024-11-07", Past, "-", ""),
        ("The United States announced assistance of $30 million for Pakistan.", "2022-08-30", Past, "-", ""),
        // -- durations --
        ("The occupation lasted for two years.", "2024-11-07", Past, "duration", "for two years"),
        ("He was held for three days.", "2024-11-07", Past, "duration", "for three days"),
        ("Assad's air force has been one of his biggest assets in the 2-year-old civil war.", "2013-04-14", Past, "duration", "2-year-old"),
        ("The US will launch the ten-day Ulchi Freedom Guardian exercise.", "2017-08-20", Future, "duration", "ten-day"),
        ("Kurdish forces captured a 17-year-old girl.", "2008-09-07", Past, "duration", "17-year-old"),
        ("It was the biggest expulsion for more than 30 years.", "2018-03-14", Past, "duration", "for more than 30 years"),
        ("They have been given a week to leave.", "2018-03-14", Past, "duration", "a week"),
        ("Thousands came on only a 30-minute notice.", "2023-01-25", Past, "duration", "30-minute"),
        ("He ended a two-day visit.", "2024-11-07", Past, "duration", "two-day"),
        // -- anchored offsets --
        ("The attack took place one day after a suicide car bomber struck a convoy in Baghdad.", "2008-09-07", Past, "none", ""),
        (
            "Polls closed two weeks before the 2016 election.",
            "2024-11-07",
            Past,
            "2016-10-25 2016-10-31 week anchored",
            "two weeks before the 2016 election",
        ),
        (
            "Israel struck Gaza a day after the Oct. 7 attack.",
            "2024-11-07",
            Past,
            "2023-10-08 2023-10-08 day anchored",
            "a day after the Oct. 7 attack",
        ),
        (
            "The envoy resigned two days after November 5.",
            "2024-11-20",
            Past,
            "2024-11-07 2024-11-07 day anchored",
            "two days after November 5",
        ),
        (
            "The pound fell a year after the Brexit referendum.",
            "2024-11-07",
            Past,
            "2017-01-01 2017-12-31 year anchored",
            "a year after the Brexit referendum",
        ),
        (
            "Troops massed three months before the full-scale invasion.",
            "2024-11-07",
            Past,
            "2021-11-01 2021-11-30 month anchored",
            "three months before the full-scale invasion",
        ),
        (
            "Rescuers arrived hours after the Beirut port explosion.",
            "2024-11-07",
            Past,
            "2020-08-04 2020-08-04 day anchored",
            "hours after the Beirut port explosion",
        ),
        ("The alliance was founded during the Cold War.", "2024-11-07", Past, "1947-03-12 1991-12-26 year anchored", "during the Cold War"),
        (
            "BAGHDAD -- A suicide car bomber blasted an outdoor market Saturday in a northern Iraqi city.",
            "2008-09-07",
            Past,
            "2008-09-06 2008-09-06 day relative",
            "Saturday",
        ),
    ];

    fn check(row: &Row) -> Result<(), String> {
        let (text, published, tense, expect, span) = *row;
        let (t, exprs) = all(text);
        let p = d(published);
        let chosen =
            if span.is_empty() { exprs.iter().find(|e| !nested(e, &exprs)) } else { exprs.iter().find(|e| surface(text, &t, e) == span) };
        let found: Vec<&str> = exprs.iter().map(|e| surface(text, &t, e)).collect();
        if expect == "-" {
            return if exprs.is_empty() { Ok(()) } else { Err(format!("expected no expression, found {found:?}")) };
        }
        let Some(e) = chosen else {
            return Err(format!("no expression '{span}' (found {found:?})"));
        };
        let got = match e.resolve_with(&exprs, p, tense) {
            Some((i, b)) => format!("{} {} {} {}", i.start, i.end, i.grain.as_str(), b.as_str()),
            None if e.value == TimeValue::Duration => "duration".to_string(),
            None => "none".to_string(),
        };
        if got == expect {
            Ok(())
        } else {
            Err(format!("expected '{expect}', got '{got}' from {:?} (found {found:?})", e.value))
        }
    }

    fn first(text: &str) -> (Text, Vec<TimeExpr>, TimeExpr) {
        let (t, exprs) = all(text);
        let e = exprs.first().cloned().unwrap_or_else(|| panic!("no expression in {text:?}"));
        (t, exprs, e)
    }

    fn builtin_text() -> &'static str {
        crate::embedded::FILES.iter().find(|(p, _)| *p == ANCHORS_FILE).map(|(_, t)| *t).expect("anchors.txt is embedded")
    }

    #[test]
    fn anchor_lexicon_parses_and_matches() {
        let lex = Anchors::parse(builtin_text(), ANCHORS_FILE).expect("builtin anchors parse");
        let lines: std::collections::BTreeSet<usize> = lex.entries.iter().map(|e| e.line).collect();
        assert!((20..=40).contains(&lines.len()), "{} anchor entries", lines.len());
        assert_eq!(Anchors::builtin().len(), lex.len());
        let cases = [
            ("after the 2016 presidential election", "2016-11-08", "2016-11-08", Grain::Day),
            ("after the 2020 US election", "2020-11-03", "2020-11-03", Grain::Day),
            ("in the 2000 election", "2000-11-07", "2000-11-07", Grain::Day),
            ("after the September 11 attacks", "2001-09-11", "2001-09-11", Grain::Day),
            ("in the Second World War", "1939-09-01", "1945-09-02", Grain::Year),
            ("before Russia's full-scale invasion of Ukraine", "2022-02-24", "2022-02-24", Grain::Day),
            ("after the October 7 attack", "2023-10-07", "2023-10-07", Grain::Day),
            ("during the 2008 financial crisis", "2007-08-09", "2009-06-30", Grain::Year),
            ("after the Brexit referendum", "2016-06-23", "2016-06-23", Grain::Day),
        ];
        for (text, start, end, grain) in cases {
            let (t, _, e) = first(text);
            let TimeValue::Anchor { interval, line } = e.value else { panic!("{text}: {:?}", e.value) };
            assert_eq!((interval.start, interval.end, interval.grain), (d(start), d(end), grain), "{text}");
            assert!(line > 0);
            let (i, b) = e.resolve(d("2024-11-07"), Past).expect("anchor resolves");
            assert_eq!((i, b), (interval, Basis::Anchored));
            assert!(t.tokens[e.start].norm != "after" && t.tokens[e.start].norm != "before", "{text}");
        }
        // The longest phrase wins, and the optional "the" is part of the span.
        let (t, _, e) = first("the 2016 US presidential election");
        assert_eq!((e.start, e.end), (0, t.tokens.len()));
    }

    #[test]
    fn anchor_lexicon_errors_name_the_line() {
        let bad = [
            ("# c\nfoo | 2016-11-08\n", 2),
            ("foo | 2016-13-08 | 2016-11-08\n", 1),
            ("\n\nfoo | 2016-11-08 | 2016-11-01\n", 3),
            ("; | 2016-11-08 | 2016-11-08\n", 1),
            ("- | 2016-11-08 | 2016-11-08\nthe | 2016-11-08 | 2016-11-08\n", 2),
        ];
        for (text, line) in bad {
            match Anchors::parse(text, "anchors.txt") {
                Err(LexiconError::Syntax { line: l, file, .. }) => {
                    assert_eq!((l, file.as_str()), (line, "anchors.txt"), "{text:?}")
                }
                other => panic!("{text:?}: expected a syntax error, got {other:?}"),
            }
        }
        let ok = Anchors::parse("# only comments\n\n  Big Day ; the big night | 2020-01-01 | 2020-01-01  \n", "x").expect("parses");
        assert_eq!(ok.len(), 2);
        let t = analyse("It happened after the big night.");
        let ex = find_with(&t, 0, &ok);
        assert!(matches!(ex.as_slice(), [TimeExpr { value: TimeValue::Anchor { line: 3, .. }, .. }]), "{ex:?}");
        // With an empty lexicon nothing is an anchor.
        assert!(find_with(&analyse("after the 2016 election"), 0, &Anchors::default()).is_empty());
    }

    fn offset(amount: i64, unit: Grain, after: bool) -> TimeExpr {
        TimeExpr { start: 0, end: 1, value: TimeValue::Offset { amount, unit, after, anchor: 1..1 } }
    }

    fn ivl(a: &str, b: &str, grain: Grain) -> Interval {
        Interval { start: d(a), end: d(b), grain }
    }

    #[test]
    fn offsets_resolve_against_their_anchor() {
        let election = Interval::day(d("2016-11-08"));
        let cases = [
            (offset(1, Grain::Day, true), election, ivl("2016-11-09", "2016-11-09", Grain::Day)),
            (offset(1, Grain::Day, false), election, ivl("2016-11-07", "2016-11-07", Grain::Day)),
            (offset(0, Grain::Day, true), election, ivl("2016-11-08", "2016-11-08", Grain::Day)),
            (offset(1, Grain::Week, true), election, ivl("2016-11-09", "2016-11-15", Grain::Week)),
            (offset(2, Grain::Week, true), election, ivl("2016-11-16", "2016-11-22", Grain::Week)),
            (offset(2, Grain::Week, false), election, ivl("2016-10-25", "2016-10-31", Grain::Week)),
            (offset(9, Grain::Month, true), Interval::day(d("2022-07-08")), ivl("2023-04-01", "2023-04-30", Grain::Month)),
            // A month-grain anchor ("in July 2022"): counted from its end.
            (offset(9, Grain::Month, true), ivl("2022-07-01", "2022-07-31", Grain::Month), ivl("2023-04-01", "2023-04-30", Grain::Month)),
            (offset(1, Grain::Month, true), Interval::day(d("2024-01-31")), ivl("2024-02-01", "2024-02-29", Grain::Month)),
            (offset(2, Grain::Year, true), election, ivl("2018-01-01", "2018-12-31", Grain::Year)),
            (offset(1, Grain::Year, false), election, ivl("2015-01-01", "2015-12-31", Grain::Year)),
            // "after" counts from the end of a long anchor, "before" from its start.
            (offset(1, Grain::Day, true), ivl("1939-09-01", "1945-09-02", Grain::Year), ivl("1945-09-03", "1945-09-03", Grain::Day)),
            (offset(1, Grain::Day, false), ivl("1939-09-01", "1945-09-02", Grain::Year), ivl("1939-08-31", "1939-08-31", Grain::Day)),
            (offset(1, Grain::Day, true), Interval::day(d("2024-02-28")), ivl("2024-02-29", "2024-02-29", Grain::Day)),
            (offset(1, Grain::Day, true), Interval::day(d("2024-12-31")), ivl("2025-01-01", "2025-01-01", Grain::Day)),
        ];
        for (o, anchor, want) in cases {
            assert_eq!(o.resolve_offset(&anchor), Some(want), "{:?} from {anchor:?}", o.value);
            assert_eq!(o.resolve(d("2024-11-07"), Past), None, "offsets need their anchor");
        }
        let end_of_time = Interval::day(d("9999-12-31"));
        assert_eq!(offset(1, Grain::Day, true).resolve_offset(&end_of_time), None);
        assert_eq!(offset(i64::MAX, Grain::Week, true).resolve_offset(&election), None);
        assert_eq!(offset(i64::MAX, Grain::Year, false).resolve_offset(&election), None);
        assert_eq!(offset(-1, Grain::Day, true).resolve_offset(&election), None);
        let (_, _, not_offset) = first("on Thursday");
        assert_eq!(not_offset.resolve_offset(&election), None);
    }

    #[test]
    fn offsets_report_their_anchor_phrase() {
        let text = "He was nearly killed nine months after the Brexit referendum, police said.";
        let (t, exprs, e) = first(text);
        let TimeValue::Offset { amount: 9, unit: Grain::Month, after: true, anchor } = &e.value else { panic!("{:?}", e.value) };
        let a = &text[t.tokens[anchor.start].start..t.tokens[anchor.end - 1].end];
        assert_eq!(a, "the Brexit referendum");
        assert_eq!(e.end, anchor.end);
        // The anchor's own date is reported after the offset, nested in it.
        assert_eq!(exprs.len(), 2);
        assert!(matches!(exprs[1].value, TimeValue::Anchor { .. }));
        assert!((exprs[1].start, exprs[1].end) == (anchor.start, anchor.end));

        // No anchor noun: an empty range right after the expression.
        for (text, amount, unit, after) in [
            ("Police returned a day later.", 1, Grain::Day, true),
            ("Police had come a day after.", 1, Grain::Day, true),
            ("Two years earlier, the army had withdrawn.", 2, Grain::Year, false),
            ("The next day, troops withdrew.", 1, Grain::Day, true),
            ("The previous week, troops withdrew.", 1, Grain::Week, false),
            ("A fortnight later, talks resumed.", 2, Grain::Week, true),
            ("Protests erupted the same day.", 0, Grain::Day, true),
        ] {
            let (_, exprs, e) = first(text);
            match &e.value {
                TimeValue::Offset { amount: a, unit: u, after: f, anchor } => {
                    assert_eq!((*a, *u, *f), (amount, unit, after), "{text}");
                    assert!(anchor.is_empty() && anchor.start == e.end, "{text}: {anchor:?} vs end {}", e.end);
                }
                v => panic!("{text}: {v:?}"),
            }
            assert_eq!(e.resolve_with(&exprs, d("2024-11-07"), Past), None, "{text}");
            assert_eq!(e.resolve_offset(&Interval::day(d("2024-11-01"))).map(|i| i.grain), Some(unit), "{text}");
        }
    }

    #[test]
    fn datelines_are_found_and_marked() {
        let text = "Brussels, Feb 21 : The EU foreign ministers Thursday agreed to adopt sanctions.";
        let t = analyse(text);
        let s = &t.sentences[0];
        let ex = find(&t, 0);
        assert_eq!(ex.len(), 2, "{ex:?}");
        assert_eq!(ex[0].value, TimeValue::MonthDay { month: 2, day: 21 });
        assert!(ex[0].in_dateline(s), "dateline date: {s:?}");
        assert!(!ex[1].in_dateline(s));
        assert_eq!(ex[0].resolve(d("2014-02-21"), Past), Some((Interval::day(d("2014-02-21")), Basis::Explicit)));
        // A sentence index past the end yields nothing.
        assert!(find(&t, 7).is_empty());
    }

    #[test]
    fn no_allocation_without_time_words() {
        for text in [
            "The minister said the talks were constructive and that both sides would keep working.",
            "Britain is expelling 23 Russian diplomats after the attack in Salisbury.",
            "The United States has announced humanitarian assistance of $30 million.",
            "",
        ] {
            let t = analyse(text);
            for s in 0..t.sentences.len().max(1) {
                let ex = find(&t, s);
                assert!(ex.is_empty() && ex.capacity() == 0, "{text:?}: {ex:?}");
            }
        }
    }

    #[test]
    fn names_of_grains_and_bases() {
        let g: Vec<&str> = [Grain::Day, Grain::Week, Grain::Month, Grain::Year].iter().map(|g| g.as_str()).collect();
        assert_eq!(g, ["day", "week", "month", "year"]);
        let b: Vec<&str> = [Basis::Explicit, Basis::Relative, Basis::Anchored, Basis::Publication].iter().map(|b| b.as_str()).collect();
        assert_eq!(b, ["explicit", "relative", "anchored", "publication"]);
    }

    #[test]
    fn word_lists_are_sorted() {
        for (name, list) in
            [("HEAD_WORDS", HEAD_WORDS), ("AFTER_YEAR", AFTER_YEAR), ("ANCHOR_STOP", ANCHOR_STOP), ("PREFIX_WORDS", PREFIX_WORDS)]
        {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{name}: {:?} must come before {:?}", w[1], w[0]);
            }
        }
    }

    #[test]
    fn never_panics() {
        let texts = [
            "99999999999999999999 years ago",
            "9999 years ago and 9999 years from now, 99999 days after the 2016 election",
            "in 2099, since 1900, between 2099 and 1900, from 1999 to 2000-01",
            "on Feb. 30, on April 31, November 0, November 32, 31 February, the 0th of May",
            "the day before yesterday the day after tomorrow the same day the next the",
            "last last next this earlier later in on since from between for the a an",
            "the '00s the 2990s the 10s the 1999s mid- mid-May mid-9999 early late the end of",
            "Monday Tuesday, Wednesday, November 7, 99999 Thursday 7 November 0000",
            "a day after, two weeks before; hours after - minutes before the",
            "9/11 9/11 the Cold War World War II World War III the the the",
            "in recent years, in the coming decades, over the past centuries, within",
            "2024-02-30 2024-13-01 0000-00-00 2024-1-1 2024-11-07-08",
            "« le 7 novembre » — ١٢ ٢٠٢٤ 七月 13 ☃ 2024",
            "for",
            "since",
            "from November",
            "between",
            "the",
            "a",
            "'",
            "-",
            "mid",
        ];
        let dates = [d("2024-11-07"), d("2024-02-29"), Date::MAX, Date::MIN, d("2000-01-01")];
        let anchors =
            [Interval::day(Date::MAX), Interval::day(Date::MIN), Interval { start: Date::MIN, end: Date::MAX, grain: Grain::Year }];
        for text in texts {
            let t = analyse(text);
            for s in 0..t.sentences.len() {
                let ex = find(&t, s);
                for e in &ex {
                    assert!(e.start < e.end && e.end <= t.tokens.len(), "{text:?}: {e:?}");
                    for p in dates {
                        for tense in [Past, Present, Future] {
                            let _ = e.resolve(p, tense);
                            let _ = e.resolve_with(&ex, p, tense);
                        }
                    }
                    for a in &anchors {
                        let _ = e.resolve_offset(a);
                    }
                }
            }
        }
        // Random sequences of the words the parser looks at (deterministic LCG).
        let vocab = [
            "in",
            "on",
            "since",
            "from",
            "between",
            "and",
            "to",
            "the",
            "a",
            "for",
            "about",
            "over",
            "last",
            "this",
            "next",
            "earlier",
            "later",
            "early",
            "late",
            "mid",
            "-",
            "mid-2019",
            ",",
            ".",
            ":",
            "'",
            "of",
            "end",
            "ago",
            "after",
            "before",
            "hours",
            "day",
            "days",
            "week",
            "weeks",
            "month",
            "years",
            "decade",
            "weekend",
            "night",
            "morning",
            "yesterday",
            "today",
            "tomorrow",
            "overnight",
            "Thursday",
            "Sunday",
            "November",
            "May",
            "Feb.",
            "Sept",
            "summer",
            "fall",
            "winter",
            "recent",
            "coming",
            "past",
            "2016",
            "1990s",
            "90s",
            "29th",
            "18",
            "19",
            "31",
            "0",
            "2-year-old",
            "ten-day",
            "twenty-five",
            "election",
            "9/11",
            "World",
            "War",
            "II",
            "Abe's",
            "assassination",
            "same",
            "following",
            "year",
            "from now",
            "wee",
            "Times",
            "Good",
            "2024-11-07",
            "99999999999999999999",
            "few",
            "several",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        for _ in 0..3000 {
            let len = 1 + next(12);
            let words: Vec<&str> = (0..len).map(|_| vocab[next(vocab.len())]).collect();
            let text = words.join(" ");
            let t = analyse(&text);
            for s in 0..t.sentences.len() {
                let ex = find(&t, s);
                let mut last_start = 0;
                for e in &ex {
                    assert!(e.start < e.end && e.end <= t.sentences[s].tokens.end, "{text:?}: {e:?}");
                    assert!(e.start >= last_start, "{text:?}: not sorted {ex:?}");
                    last_start = e.start;
                    let p = dates[next(dates.len())];
                    for tense in [Past, Present, Future] {
                        if let Some((i, _)) = e.resolve_with(&ex, p, tense) {
                            assert!(i.start <= i.end, "{text:?}: {e:?}");
                        }
                    }
                }
            }
        }
        // Every value, at the calendar's edges.
        let values = [
            TimeValue::Ago { amount: i64::MAX, unit: Grain::Year },
            TimeValue::Ago { amount: i64::MIN, unit: Grain::Week },
            TimeValue::Within { amount: i64::MIN, unit: Grain::Month, future: false },
            TimeValue::Within { amount: i64::MAX, unit: Grain::Day, future: true },
            TimeValue::RelDay(i8::MIN),
            TimeValue::RelUnit { unit: Grain::Year, shift: i8::MAX },
            TimeValue::Weekday { weekday: Weekday::Monday, shift: 1 },
            TimeValue::Weekend { shift: -1 },
            TimeValue::MonthDay { month: 2, day: 29 },
            TimeValue::MonthDay { month: 13, day: 40 },
            TimeValue::DayRange { month: 12, day: 30, to_month: 1, to_day: 2, year: None },
            TimeValue::MonthRange { month: 12, year: None, to_month: 1, to_year: None },
            TimeValue::Season { season: Season::Winter, year: Some(i16::MAX) },
            TimeValue::RelSeason { season: Season::Winter, shift: 1 },
            TimeValue::Decade(i16::MAX),
            TimeValue::YearRange { year: i16::MIN, to_year: i16::MAX },
            TimeValue::Since(Box::new(TimeValue::Year(9999))),
            TimeValue::Part { part: Part::Late, of: Box::new(TimeValue::Decade(9990)) },
            TimeValue::EarlierThis(Grain::Year),
            TimeValue::LaterThis(Grain::Week),
            TimeValue::Recent { unit: Grain::Month, future: true },
            TimeValue::Overnight,
        ];
        for value in values {
            let e = TimeExpr { start: 0, end: 1, value };
            for p in dates {
                for tense in [Past, Present, Future] {
                    if let Some((i, _)) = e.resolve(p, tense) {
                        assert!(i.start <= i.end, "{e:?} at {p}");
                    }
                }
            }
        }
    }

    #[test]
    fn table() {
        let mut failures = Vec::new();
        for row in ROWS {
            if let Err(msg) = check(row) {
                failures.push(format!("{:?} [{} {:?}]: {msg}", row.0, row.1, row.2));
            }
        }
        let passed = ROWS.len() - failures.len();
        eprintln!("time table: {passed}/{} rows pass", ROWS.len());
        assert!(ROWS.len() >= 90, "the table must keep at least 90 rows");
        assert!(failures.is_empty(), "{} of {} rows fail:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
    }
}
