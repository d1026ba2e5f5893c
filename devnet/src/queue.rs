//! The transaction queue and the choice of each ledger's transaction set, as
//! stellar-core makes them (`TransactionQueue.cpp`, `TxSetFrame.cpp`,
//! `SurgePricingUtils.cpp`), in the parts a client observes:
//!
//! - one queued transaction per source account: a second one answers
//!   `TRY_AGAIN_LATER` until the first leaves the queue; the same envelope
//!   again answers `DUPLICATE`;
//! - a fee source must afford every fee it has queued (`txINSUFFICIENT_BALANCE`);
//! - at a ledger close the classic and Soroban phases each take the highest
//!   inclusion fee per operation first (ties: first come) while the ledger's
//!   limits allow; when something did not fit the phase is surge priced: every
//!   included transaction pays the lowest included fee per operation instead of
//!   the base fee (never more than it bid). What did not fit waits for the next
//!   ledger.
//!
//! Pure logic, no I/O and no ledger state: `node` feeds it and applies what it
//! selects.

/// Declared Soroban resources a transaction takes from a ledger's limits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SorobanResources {
    pub instructions: u64,
    pub disk_read_entries: u64,
    pub disk_read_bytes: u64,
    pub write_entries: u64,
    pub write_bytes: u64,
    pub tx_size_bytes: u64,
}

impl SorobanResources {
    fn add(&mut self, o: &SorobanResources) {
        self.instructions += o.instructions;
        self.disk_read_entries += o.disk_read_entries;
        self.disk_read_bytes += o.disk_read_bytes;
        self.write_entries += o.write_entries;
        self.write_bytes += o.write_bytes;
        self.tx_size_bytes += o.tx_size_bytes;
    }
    fn fits_within(&self, limit: &SorobanResources) -> bool {
        self.instructions <= limit.instructions
            && self.disk_read_entries <= limit.disk_read_entries
            && self.disk_read_bytes <= limit.disk_read_bytes
            && self.write_entries <= limit.write_entries
            && self.write_bytes <= limit.write_bytes
            && self.tx_size_bytes <= limit.tx_size_bytes
    }
}

/// Per-ledger limits of the two phases.
#[derive(Clone, Copy, Debug)]
pub struct LedgerLimits {
    /// Operations in the classic phase.
    pub classic_ops: u64,
    /// Transactions in the Soroban phase.
    pub soroban_txs: u64,
    pub soroban: SorobanResources,
}

/// What the queue needs to know about a transaction.
#[derive(Clone, Debug)]
pub struct QueuedTx<T> {
    pub hash: [u8; 32],
    /// Sequence-number source account (ed25519 key).
    pub source: [u8; 32],
    /// Account that pays the fee (the fee-bump's fee source, or `source`).
    pub fee_source: [u8; 32],
    /// The whole fee the transaction offers (`fee` of the outer envelope).
    pub fee_bid: i64,
    /// The part of `fee_bid` above the declared resource fee.
    pub inclusion_bid: i64,
    /// Operations the inclusion fee is divided by (+1 for a fee bump).
    pub fee_ops: u32,
    /// Declared resources of a Soroban transaction; `None` for classic.
    pub soroban: Option<SorobanResources>,
    /// Submitted by the devnet itself (friendbot): exempt from the
    /// one-per-account rule, so its transactions follow each other in a ledger.
    pub internal: bool,
    /// Arrival order.
    pub arrival: u64,
    /// What the caller keeps with it (the validated transaction).
    pub payload: T,
}

/// Why a transaction cannot join the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The same envelope is already queued.
    Duplicate,
    /// The source account already has a transaction queued.
    TryAgainLater,
}

/// The pending transactions, in arrival order.
#[derive(Debug)]
pub struct Queue<T> {
    txs: Vec<QueuedTx<T>>,
    next_arrival: u64,
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue {
            txs: Vec::new(),
            next_arrival: 0,
        }
    }
}

/// A ledger's transaction set: which queued transactions, and the base fee per
/// operation each phase charges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Hashes of the included transactions, in application order (arrival).
    pub included: Vec<[u8; 32]>,
    pub classic_base_fee: i64,
    pub soroban_base_fee: i64,
    /// Whether a phase left transactions out for lack of room.
    pub classic_surged: bool,
    pub soroban_surged: bool,
}

impl Selection {
    /// The inclusion fee a transaction of this set pays: its phase's base fee
    /// per operation, never more than it bid.
    pub fn inclusion_fee(&self, soroban: bool, inclusion_bid: i64, fee_ops: u32) -> i64 {
        let base = if soroban {
            self.soroban_base_fee
        } else {
            self.classic_base_fee
        };
        inclusion_bid.min(base.saturating_mul(i64::from(fee_ops)))
    }
}

impl<T> Queue<T> {
    pub fn len(&self) -> usize {
        self.txs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.txs.is_empty()
    }

    pub fn contains(&self, hash: &[u8; 32]) -> bool {
        self.txs.iter().any(|t| &t.hash == hash)
    }

    /// Transactions queued with this source account.
    pub fn count_from(&self, source: &[u8; 32]) -> usize {
        self.txs.iter().filter(|t| &t.source == source).count()
    }

    /// The fees already queued by `fee_source`, stroops.
    pub fn queued_fees(&self, fee_source: &[u8; 32]) -> i64 {
        self.txs
            .iter()
            .filter(|t| &t.fee_source == fee_source)
            .map(|t| t.fee_bid)
            .sum()
    }

    /// Whether `tx` may join: not the same envelope twice, one per source account.
    pub fn admits(
        &self,
        hash: &[u8; 32],
        source: &[u8; 32],
        internal: bool,
    ) -> Result<(), Refusal> {
        if self.contains(hash) {
            return Err(Refusal::Duplicate);
        }
        if !internal && self.txs.iter().any(|t| &t.source == source) {
            return Err(Refusal::TryAgainLater);
        }
        Ok(())
    }

    /// Adds a transaction (call `admits` first); its arrival number is set here.
    pub fn push(&mut self, mut tx: QueuedTx<T>) {
        tx.arrival = self.next_arrival;
        self.next_arrival += 1;
        self.txs.push(tx);
    }

    /// Removes and returns the transactions with these hashes, in arrival order.
    pub fn take(&mut self, hashes: &[[u8; 32]]) -> Vec<QueuedTx<T>> {
        let (taken, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.txs)
            .into_iter()
            .partition(|t| hashes.contains(&t.hash));
        self.txs = kept;
        taken
    }

    /// Chooses the next ledger's transaction set.
    pub fn select(&self, limits: &LedgerLimits, base_fee: i64) -> Selection {
        let classic: Vec<&QueuedTx<T>> = self.txs.iter().filter(|t| t.soroban.is_none()).collect();
        let soroban: Vec<&QueuedTx<T>> = self.txs.iter().filter(|t| t.soroban.is_some()).collect();
        let (mut inc_c, c_base, c_surged) = {
            let mut ops = 0u64;
            pick(classic, base_fee, |t| {
                let next = ops + u64::from(t.fee_ops);
                (next <= limits.classic_ops).then(|| ops = next).is_some()
            })
        };
        let (inc_s, s_base, s_surged) = {
            let mut used = SorobanResources::default();
            let mut count = 0u64;
            pick(soroban, base_fee, |t| {
                let mut next = used;
                next.add(t.soroban.as_ref().expect("Soroban phase"));
                if count < limits.soroban_txs && next.fits_within(&limits.soroban) {
                    used = next;
                    count += 1;
                    true
                } else {
                    false
                }
            })
        };
        inc_c.extend(inc_s);
        inc_c.sort_by_key(|t| t.arrival);
        Selection {
            included: inc_c.iter().map(|t| t.hash).collect(),
            classic_base_fee: c_base,
            soroban_base_fee: s_base,
            classic_surged: c_surged,
            soroban_surged: s_surged,
        }
    }
}

/// One phase: highest fee per operation first (ties by arrival), each taken if
/// `fits` says it still fits. Answers the included transactions, the phase's
/// base fee and whether it surged.
fn pick<T>(
    mut txs: Vec<&QueuedTx<T>>,
    base_fee: i64,
    mut fits: impl FnMut(&QueuedTx<T>) -> bool,
) -> (Vec<&QueuedTx<T>>, i64, bool) {
    // a/b > c/d  <=>  a*d > c*b (fee_ops >= 1), in i128 so nothing overflows.
    txs.sort_by(|a, b| {
        let l = i128::from(b.inclusion_bid) * i128::from(a.fee_ops);
        let r = i128::from(a.inclusion_bid) * i128::from(b.fee_ops);
        l.cmp(&r).then(a.arrival.cmp(&b.arrival))
    });
    let mut included = Vec::new();
    let mut surged = false;
    for t in txs {
        if fits(t) {
            included.push(t);
        } else {
            surged = true;
        }
    }
    let base = if surged {
        included
            .iter()
            .map(|t| t.inclusion_bid / i64::from(t.fee_ops.max(1)))
            .min()
            .unwrap_or(base_fee)
            .max(base_fee)
    } else {
        base_fee
    };
    (included, base, surged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(n: u8, bid: i64, soroban: Option<SorobanResources>) -> QueuedTx<()> {
        QueuedTx {
            hash: [n; 32],
            source: [n; 32],
            fee_source: [n; 32],
            fee_bid: bid + 1_000,
            inclusion_bid: bid,
            fee_ops: 1,
            soroban,
            internal: false,
            arrival: 0,
            payload: (),
        }
    }

    fn limits(classic_ops: u64, instructions: u64) -> LedgerLimits {
        LedgerLimits {
            classic_ops,
            soroban_txs: 100,
            soroban: SorobanResources {
                instructions,
                disk_read_entries: 1_000,
                disk_read_bytes: 1_000_000,
                write_entries: 1_000,
                write_bytes: 1_000_000,
                tx_size_bytes: 1_000_000,
            },
        }
    }

    fn insns(n: u64) -> Option<SorobanResources> {
        Some(SorobanResources {
            instructions: n,
            ..Default::default()
        })
    }

    #[test]
    fn one_queued_transaction_per_source_account() {
        let mut q = Queue::default();
        q.push(tx(1, 100, None));
        assert_eq!(q.admits(&[1; 32], &[1; 32], false), Err(Refusal::Duplicate));
        assert_eq!(
            q.admits(&[9; 32], &[1; 32], false),
            Err(Refusal::TryAgainLater)
        );
        assert_eq!(q.admits(&[9; 32], &[1; 32], true), Ok(()));
        assert_eq!(q.admits(&[2; 32], &[2; 32], false), Ok(()));
        assert_eq!(q.queued_fees(&[1; 32]), 1_100);
        assert_eq!(q.take(&[[1; 32]]).len(), 1);
        assert_eq!(q.admits(&[9; 32], &[1; 32], false), Ok(()));
    }

    #[test]
    fn a_ledger_with_room_charges_the_base_fee_in_arrival_order() {
        let mut q = Queue::default();
        for (n, bid) in [(1, 100), (2, 500), (3, 200)] {
            q.push(tx(n, bid, None));
        }
        let s = q.select(&limits(10, 1_000), 100);
        assert_eq!(s.included, vec![[1; 32], [2; 32], [3; 32]]);
        assert!(!s.classic_surged);
        assert_eq!(s.inclusion_fee(false, 500, 1), 100);
    }

    #[test]
    fn a_full_ledger_takes_the_highest_bids_and_charges_the_lowest_included() {
        let mut q = Queue::default();
        for (n, bid) in [(1, 100), (2, 500), (3, 300), (4, 200)] {
            q.push(tx(n, bid, None));
        }
        let s = q.select(&limits(2, 1_000), 100);
        assert_eq!(s.included, vec![[2; 32], [3; 32]]);
        assert!(s.classic_surged);
        assert_eq!(s.classic_base_fee, 300);
        assert_eq!(s.inclusion_fee(false, 500, 1), 300);
        assert_eq!(s.inclusion_fee(false, 300, 1), 300);
    }

    #[test]
    fn soroban_limits_are_their_own_phase() {
        let mut q = Queue::default();
        q.push(tx(1, 100, insns(600)));
        q.push(tx(2, 150, insns(600)));
        q.push(tx(3, 100, None));
        let s = q.select(&limits(10, 1_000), 100);
        // Only one 600-instruction transaction fits in 1,000; the higher bid wins.
        assert_eq!(s.included, vec![[2; 32], [3; 32]]);
        assert!(s.soroban_surged && !s.classic_surged);
        assert_eq!((s.soroban_base_fee, s.classic_base_fee), (150, 100));
        // A smaller one still fits after a larger one did not.
        q.push(tx(4, 50, insns(300)));
        let s = q.select(&limits(10, 1_000), 100);
        assert_eq!(s.included, vec![[2; 32], [3; 32], [4; 32]]);
        assert_eq!(s.soroban_base_fee, 100, "never below the base fee");
    }

    #[test]
    fn fee_per_operation_ranks_multi_operation_transactions() {
        let mut q = Queue::default();
        let mut big = tx(1, 400, None);
        big.fee_ops = 4; // 100 per operation
        q.push(big);
        q.push(tx(2, 150, None));
        let s = q.select(&limits(4, 1_000), 100);
        assert_eq!(
            s.included,
            vec![[2; 32]],
            "150/op outranks 100/op; 4 ops no longer fit"
        );
        assert_eq!(s.classic_base_fee, 150);
    }
}
