//! The sandbox's memory: accounts and their return codes, and the rules that move a code from
//! inactive to active to used.
//!
//! Life of a code:
//!
//! ```text
//! revloggenerateinactivecodes ──► inactive ──revlogactivatecode──► active ──/_sandbox/parcel Created──► used
//!                                    │                               ▲          (then InTransit, Delivered …)
//!                                    └──revloginvalidatecode──► invalidated      │
//! revloggenerateactivecode ──────────────────────────────────────────┘
//! ```
//!
//! Codes are unique across all accounts (like real codes typed at a locker), but every InPost
//! function only sees the codes of the account that calls it: another account's code is
//! `CodeNotFound`, never a hint that it exists. The [`Store`] is plain data; the server wraps it in
//! a `Mutex`, so each call runs alone and sees a consistent state.

use std::collections::{HashMap, HashSet};

use crate::answer::{ActiveCode, InactiveCode, ReportRecord};
use crate::error::ApiError;
use crate::request::{CodeDetails, ReportFilter};
use crate::rng::XorShift;
use crate::time;

/// The most codes one account may hold, so a runaway test cannot exhaust memory. The sandbox's
/// own cap; `POST /_sandbox/reset` empties the store.
pub const MAX_CODES_PER_ACCOUNT: usize = 100_000;

/// Shipment statuses the parcel hook accepts: the older Paczkomat API's vocabulary (spec 2.5),
/// spelling included (`RetunedToAgency`). `Created` means "dropped at a locker".
pub const PARCEL_STATUSES: &[&str] = &[
    "Created",
    "Prepared",
    "Sent",
    "InTransit",
    "Stored",
    "Avizo",
    "Expired",
    "Delivered",
    "RetunedToAgency",
    "Cancelled",
    "Claimed",
    "ClaimProcessed",
];

/// A login of the sandbox. The password is only compared, never logged or answered.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The account e-mail (`email` form field; `operatorEmail` in reports).
    pub email: String,
    /// The account password (`password` form field).
    pub password: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Index of an account in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountId(usize);

/// A parcel dropped at a locker with a code.
#[derive(Debug, Clone)]
struct Parcel {
    pack_code: String,
    status: String,
    used_at: u64,
    status_at: u64,
}

#[derive(Debug, Clone)]
struct Code {
    account: AccountId,
    code: String,
    uuid: String,
    active: bool,
    invalidated: bool,
    created_at: u64,
    /// Set when generated active or activated.
    details: Option<CodeDetails>,
    /// Set once dropped at a locker (the code is then "used").
    parcel: Option<Parcel>,
}

/// What the parcel hook answers on success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelView {
    /// The return code.
    pub code: String,
    /// The 24-digit shipment number.
    pub pack_code: String,
    /// The current status.
    pub status: String,
}

/// One code as the `GET /_sandbox/codes` hook lists it: the sandbox's whole truth about it, for
/// tests that count what a client really made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeView {
    /// The e-mail of the account that owns the code.
    pub account: String,
    /// The return code.
    pub code: String,
    /// The merchant reference, if the code was generated active or activated with one.
    pub rma: Option<String>,
    /// `A`, `B` or `C`, once generated active or activated.
    pub pack_type: Option<String>,
    /// As sent, once generated active or activated.
    pub expiration_date: Option<String>,
    /// Whether the code is active.
    pub active: bool,
    /// Whether its parcel was dropped at a locker.
    pub used: bool,
    /// Whether it was invalidated.
    pub invalidated: bool,
}

/// Why the parcel hook refused a status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParcelError {
    /// No account has this code.
    UnknownCode,
    /// The status is not in [`PARCEL_STATUSES`].
    UnknownStatus,
    /// `Created` for a code that is not active (inactive or invalidated).
    NotActive,
    /// `Created` for a code already dropped.
    AlreadyDropped,
    /// A status other than `Created` for a code not dropped yet.
    NotDropped,
}

/// All accounts and codes.
#[derive(Debug)]
pub struct Store {
    accounts: Vec<Account>,
    codes: Vec<Code>,
    by_code: HashMap<String, usize>,
    pack_codes: HashSet<String>,
    rng: XorShift,
}

impl Store {
    /// A store with these accounts and no codes; `seed` makes codes, UUIDs and pack codes
    /// reproducible.
    pub fn new(accounts: Vec<Account>, seed: u64) -> Self {
        Store {
            accounts,
            codes: Vec::new(),
            by_code: HashMap::new(),
            pack_codes: HashSet::new(),
            rng: XorShift::new(seed),
        }
    }

    /// The account with exactly this e-mail and password.
    pub fn authenticate(&self, email: &str, password: &str) -> Option<AccountId> {
        self.accounts
            .iter()
            .position(|a| a.email == email && a.password == password)
            .map(AccountId)
    }

    /// The e-mail of an account.
    pub fn email(&self, id: AccountId) -> &str {
        self.accounts.get(id.0).map_or("", |a| a.email.as_str())
    }

    /// Forgets every code of every account (accounts stay).
    pub fn reset(&mut self) {
        self.codes.clear();
        self.by_code.clear();
        self.pack_codes.clear();
    }

    fn count_of(&self, account: AccountId) -> usize {
        self.codes.iter().filter(|c| c.account == account).count()
    }

    /// A fresh 10-digit code no account has.
    fn new_code(&mut self) -> String {
        loop {
            let code = self.rng.digits(10);
            if !self.by_code.contains_key(&code) {
                return code;
            }
        }
    }

    fn insert(&mut self, code: Code) {
        self.by_code.insert(code.code.clone(), self.codes.len());
        self.codes.push(code);
    }

    /// `revloggenerateactivecode`.
    pub fn generate_active(
        &mut self,
        account: AccountId,
        details: CodeDetails,
        now: u64,
    ) -> Result<ActiveCode, ApiError> {
        if self.count_of(account) >= MAX_CODES_PER_ACCOUNT {
            return Err(ApiError::too_many_codes_per_account(MAX_CODES_PER_ACCOUNT));
        }
        let code = self.new_code();
        let uuid = self.rng.uuid_v4();
        let answer = ActiveCode {
            code: code.clone(),
            expiration_date: details.expiration_date.clone(),
            pack_type: details.pack_type.clone(),
            uuid: uuid.clone(),
        };
        self.insert(Code {
            account,
            code,
            uuid,
            active: true,
            invalidated: false,
            created_at: now,
            details: Some(details),
            parcel: None,
        });
        Ok(answer)
    }

    /// `revloggenerateinactivecodes`.
    pub fn generate_inactive(
        &mut self,
        account: AccountId,
        count: u64,
        now: u64,
    ) -> Result<Vec<InactiveCode>, ApiError> {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if self.count_of(account).saturating_add(count) > MAX_CODES_PER_ACCOUNT {
            return Err(ApiError::too_many_codes_per_account(MAX_CODES_PER_ACCOUNT));
        }
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            let code = self.new_code();
            let uuid = self.rng.uuid_v4();
            out.push(InactiveCode {
                code: code.clone(),
                uuid: uuid.clone(),
            });
            self.insert(Code {
                account,
                code,
                uuid,
                active: false,
                invalidated: false,
                created_at: now,
                details: None,
                parcel: None,
            });
        }
        Ok(out)
    }

    /// The index of `code` if it belongs to `account`.
    fn own(&self, account: AccountId, code: &str) -> Result<usize, ApiError> {
        match self.by_code.get(code) {
            Some(&i) if self.codes[i].account == account => Ok(i),
            _ => Err(ApiError::code_not_found()),
        }
    }

    /// `revlogactivatecode`: only an inactive, not invalidated code of this account, once.
    pub fn activate(
        &mut self,
        account: AccountId,
        code: &str,
        details: CodeDetails,
    ) -> Result<ActiveCode, ApiError> {
        let i = self.own(account, code)?;
        let c = &mut self.codes[i];
        if c.invalidated {
            return Err(ApiError::code_invalidated());
        }
        if c.parcel.is_some() {
            return Err(ApiError::code_used());
        }
        if c.active {
            return Err(ApiError::code_already_active());
        }
        c.active = true;
        let answer = ActiveCode {
            code: c.code.clone(),
            expiration_date: details.expiration_date.clone(),
            pack_type: details.pack_type.clone(),
            uuid: c.uuid.clone(),
        };
        c.details = Some(details);
        Ok(answer)
    }

    /// `revloginvalidatecode`: only an inactive, unused, not yet invalidated code of this account.
    pub fn invalidate(&mut self, account: AccountId, code: &str) -> Result<(), ApiError> {
        let i = self.own(account, code)?;
        let c = &mut self.codes[i];
        if c.invalidated {
            return Err(ApiError::code_invalidated());
        }
        if c.parcel.is_some() {
            return Err(ApiError::code_used());
        }
        if c.active {
            return Err(ApiError::code_active_cannot_invalidate());
        }
        c.invalidated = true;
        Ok(())
    }

    /// `revloggetreport`, in creation order (oldest first), so paging is stable while codes are
    /// added. Which codes are listed:
    /// - without `active`, or with `active=true`: active codes, used or not (InPost calls it a
    ///   report of "active and used codes"; a used code stays active);
    /// - with `active=false`: inactive codes that can still be activated;
    /// - invalidated codes never.
    ///
    /// The other filters narrow that set; `dateRange` compares the UTC creation day, inclusive
    /// at both ends, and either end may be left open.
    pub fn report(&self, account: AccountId, f: &ReportFilter) -> Vec<ReportRecord> {
        let want_active = f.active.unwrap_or(true);
        let email = self.email(account);
        self.codes
            .iter()
            .filter(|c| c.account == account && !c.invalidated && c.active == want_active)
            .filter(|c| f.used.map_or(true, |u| c.parcel.is_some() == u))
            .filter(|c| f.code.as_ref().map_or(true, |code| &c.code == code))
            .filter(|c| {
                f.rma.as_ref().map_or(true, |rma| {
                    c.details.as_ref().and_then(|d| d.rma.as_ref()) == Some(rma)
                })
            })
            .filter(|c| {
                f.pack_code
                    .as_ref()
                    .map_or(true, |p| c.parcel.as_ref().map(|x| &x.pack_code) == Some(p))
            })
            .filter(|c| {
                let day = (c.created_at / 86_400) as i64;
                f.start_day.map_or(true, |s| day >= s) && f.end_day.map_or(true, |e| day <= e)
            })
            .skip(f.offset)
            .take(f.limit)
            .map(|c| record(email, c))
            .collect()
    }

    /// Every code of every account, in creation order (the `GET /_sandbox/codes` hook).
    pub fn codes(&self) -> Vec<CodeView> {
        self.codes
            .iter()
            .map(|c| {
                let d = c.details.as_ref();
                CodeView {
                    account: self.email(c.account).to_string(),
                    code: c.code.clone(),
                    rma: d.and_then(|d| d.rma.clone()),
                    pack_type: d.map(|d| d.pack_type.clone()),
                    expiration_date: d.map(|d| d.expiration_date.clone()),
                    active: c.active,
                    used: c.parcel.is_some(),
                    invalidated: c.invalidated,
                }
            })
            .collect()
    }

    /// The parcel hook: `Created` drops the parcel of an active code at a locker (the code
    /// becomes used and gets a shipment number); any other status moves a dropped parcel on.
    pub fn parcel_event(
        &mut self,
        code: &str,
        status: &str,
        now: u64,
    ) -> Result<ParcelView, ParcelError> {
        if !PARCEL_STATUSES.contains(&status) {
            return Err(ParcelError::UnknownStatus);
        }
        let i = *self.by_code.get(code).ok_or(ParcelError::UnknownCode)?;
        if status == "Created" {
            let c = &self.codes[i];
            if c.parcel.is_some() {
                return Err(ParcelError::AlreadyDropped);
            }
            if !c.active || c.invalidated {
                return Err(ParcelError::NotActive);
            }
            let pack_code = loop {
                let candidate = self.rng.digits(24);
                if self.pack_codes.insert(candidate.clone()) {
                    break candidate;
                }
            };
            self.codes[i].parcel = Some(Parcel {
                pack_code,
                status: status.to_string(),
                used_at: now,
                status_at: now,
            });
        } else {
            let parcel = self.codes[i]
                .parcel
                .as_mut()
                .ok_or(ParcelError::NotDropped)?;
            parcel.status = status.to_string();
            parcel.status_at = now;
        }
        let c = &self.codes[i];
        let parcel = c.parcel.as_ref().ok_or(ParcelError::NotDropped)?;
        Ok(ParcelView {
            code: c.code.clone(),
            pack_code: parcel.pack_code.clone(),
            status: parcel.status.clone(),
        })
    }
}

fn record(email: &str, c: &Code) -> ReportRecord {
    let d = c.details.as_ref();
    let p = c.parcel.as_ref();
    let text = |f: fn(&CodeDetails) -> Option<&String>| d.and_then(f).cloned().unwrap_or_default();
    ReportRecord {
        operator_email: email.to_string(),
        reverse_return_pack_code: p.map(|p| p.pack_code.clone()).unwrap_or_default(),
        code: c.code.clone(),
        rma: text(|d| d.rma.as_ref()),
        active: c.active,
        used_date: p
            .map(|p| time::format_datetime(p.used_at))
            .unwrap_or_default(),
        create_date: time::format_datetime(c.created_at),
        sender_phone: text(|d| Some(&d.sender_phone)),
        sender_email: text(|d| Some(&d.sender_email)),
        reverse_return_pack_status: p.map(|p| p.status.clone()).unwrap_or_default(),
        status_date: p
            .map(|p| time::format_datetime(p.status_at))
            .unwrap_or_default(),
        return_description1: text(|d| d.return_description1.as_ref()),
        used: p.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKey;

    fn details(rma: &str) -> CodeDetails {
        CodeDetails {
            rma: Some(rma.into()),
            pack_type: "B".into(),
            expiration_date: "2030-01-01T00:00:00".into(),
            sender_phone: "600100200".into(),
            sender_email: "k@example.com".into(),
            return_description1: None,
            address: None,
        }
    }

    fn store() -> (Store, AccountId, AccountId) {
        let s = Store::new(
            vec![
                Account {
                    email: "a@x".into(),
                    password: "pa".into(),
                },
                Account {
                    email: "b@x".into(),
                    password: "pb".into(),
                },
            ],
            1,
        );
        let a = s.authenticate("a@x", "pa").unwrap();
        let b = s.authenticate("b@x", "pb").unwrap();
        (s, a, b)
    }

    fn all() -> ReportFilter {
        ReportFilter {
            used: None,
            active: None,
            pack_code: None,
            code: None,
            rma: None,
            start_day: None,
            end_day: None,
            limit: 1000,
            offset: 0,
        }
    }

    #[test]
    fn auth() {
        let (s, _, _) = store();
        assert!(s.authenticate("a@x", "pb").is_none());
        assert!(s.authenticate("A@x", "pa").is_none());
        assert!(!format!("{:?}", s).contains("pa\""));
    }

    #[test]
    fn lifecycle() {
        let (mut s, a, b) = store();
        let codes = s.generate_inactive(a, 3, 0).unwrap();
        let (c0, c1) = (codes[0].code.clone(), codes[1].code.clone());
        // other account cannot see it
        assert_eq!(
            s.activate(b, &c0, details("x")).unwrap_err().key,
            ErrorKey::CodeNotFound
        );
        assert_eq!(
            s.invalidate(b, &c0).unwrap_err().key,
            ErrorKey::CodeNotFound
        );
        // activate once
        let act = s.activate(a, &c0, details("r1")).unwrap();
        assert_eq!(
            (act.code.as_str(), act.uuid.as_str()),
            (c0.as_str(), codes[0].uuid.as_str())
        );
        assert_eq!(
            s.activate(a, &c0, details("r1")).unwrap_err().key,
            ErrorKey::CodeAlreadyActive
        );
        assert_eq!(
            s.invalidate(a, &c0).unwrap_err().key,
            ErrorKey::CodeAlreadyActive
        );
        // invalidate once, then nothing
        s.invalidate(a, &c1).unwrap();
        assert_eq!(
            s.invalidate(a, &c1).unwrap_err().key,
            ErrorKey::CodeInvalidated
        );
        assert_eq!(
            s.activate(a, &c1, details("x")).unwrap_err().key,
            ErrorKey::CodeInvalidated
        );
        assert_eq!(
            s.parcel_event(&c1, "Created", 5),
            Err(ParcelError::NotActive)
        );
        // drop and move
        assert_eq!(
            s.parcel_event(&c0, "InTransit", 5),
            Err(ParcelError::NotDropped)
        );
        let p = s.parcel_event(&c0, "Created", 5).unwrap();
        assert_eq!(p.pack_code.len(), 24);
        assert_eq!(
            s.parcel_event(&c0, "Created", 6),
            Err(ParcelError::AlreadyDropped)
        );
        assert_eq!(
            s.parcel_event(&c0, "Delivered", 7).unwrap().status,
            "Delivered"
        );
        assert_eq!(
            s.parcel_event(&c0, "Lost", 7),
            Err(ParcelError::UnknownStatus)
        );
        assert_eq!(
            s.parcel_event("nope", "Created", 7),
            Err(ParcelError::UnknownCode)
        );
        assert_eq!(
            s.invalidate(a, &c0).unwrap_err().key,
            ErrorKey::CodeAlreadyUsed
        );
        assert_eq!(
            s.activate(a, &c0, details("x")).unwrap_err().key,
            ErrorKey::CodeAlreadyUsed
        );

        let views = s.codes();
        assert_eq!(views.len(), 3);
        assert_eq!(
            views[0],
            CodeView {
                account: "a@x".into(),
                code: c0.clone(),
                rma: Some("r1".into()),
                pack_type: Some("B".into()),
                expiration_date: Some("2030-01-01T00:00:00".into()),
                active: true,
                used: true,
                invalidated: false,
            }
        );
        assert!(views[1].invalidated && !views[1].active && views[1].rma.is_none());
        assert!(!views[2].invalidated && !views[2].active && views[2].pack_type.is_none());

        let r = s.report(a, &all());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].reverse_return_pack_status, "Delivered");
        assert_eq!(r[0].status_date, "1970-01-01T00:00:07");
        assert_eq!(r[0].used_date, "1970-01-01T00:00:05");
        assert!(r[0].used && r[0].active);
        assert_eq!(r[0].rma, "r1");
        let inactive = s.report(
            a,
            &ReportFilter {
                active: Some(false),
                ..all()
            },
        );
        assert_eq!(inactive.len(), 1, "c2 only: c1 is invalidated");
        assert_eq!(inactive[0].rma, "");
        assert!(s.report(b, &all()).is_empty());
    }

    #[test]
    fn report_filters_and_paging() {
        let (mut s, a, _) = store();
        let mut codes = Vec::new();
        for i in 0..5u64 {
            codes.push(
                s.generate_active(a, details(&format!("r{i}")), i * 86_400)
                    .unwrap()
                    .code,
            );
        }
        s.parcel_event(&codes[1], "Created", 10).unwrap();
        let pc = s.parcel_event(&codes[1], "Sent", 10).unwrap().pack_code;
        let n = |f: ReportFilter| {
            s.report(a, &f)
                .iter()
                .map(|r| r.rma.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(n(all()), ["r0", "r1", "r2", "r3", "r4"]);
        assert_eq!(
            n(ReportFilter {
                used: Some(true),
                ..all()
            }),
            ["r1"]
        );
        assert_eq!(
            n(ReportFilter {
                used: Some(false),
                ..all()
            })
            .len(),
            4
        );
        assert_eq!(
            n(ReportFilter {
                pack_code: Some(pc),
                ..all()
            }),
            ["r1"]
        );
        assert_eq!(
            n(ReportFilter {
                code: Some(codes[3].clone()),
                ..all()
            }),
            ["r3"]
        );
        assert_eq!(
            n(ReportFilter {
                rma: Some("r4".into()),
                ..all()
            }),
            ["r4"]
        );
        assert_eq!(
            n(ReportFilter {
                start_day: Some(1),
                end_day: Some(3),
                ..all()
            }),
            ["r1", "r2", "r3"]
        );
        assert_eq!(
            n(ReportFilter {
                start_day: Some(3),
                ..all()
            }),
            ["r3", "r4"]
        );
        assert_eq!(
            n(ReportFilter {
                end_day: Some(0),
                ..all()
            }),
            ["r0"]
        );
        assert_eq!(
            n(ReportFilter {
                start_day: Some(3),
                end_day: Some(1),
                ..all()
            })
            .len(),
            0
        );
        assert_eq!(
            n(ReportFilter {
                limit: 2,
                offset: 1,
                ..all()
            }),
            ["r1", "r2"]
        );
        assert_eq!(
            n(ReportFilter {
                limit: 2,
                offset: 4,
                ..all()
            }),
            ["r4"]
        );
        assert_eq!(
            n(ReportFilter {
                offset: usize::MAX,
                ..all()
            })
            .len(),
            0
        );
        s.reset();
        assert!(s.report(a, &all()).is_empty());
    }

    #[test]
    fn account_cap() {
        let (mut s, a, _) = store();
        assert_eq!(
            s.generate_inactive(a, MAX_CODES_PER_ACCOUNT as u64 + 1, 0)
                .unwrap_err()
                .key,
            ErrorKey::TooManyCodes
        );
    }
}
