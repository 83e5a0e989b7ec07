// Internal to projections/: the slice from the blocks with what of it to read given (the
// region summary and the comparison read both statements' parts from one slice).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <pqxx/transaction_base>

#include "projections/projections.hpp"

namespace likvard {

// The levels of blocks (ledger/projections/README.md, "Blocks"): a block of level L holds
// block_fanout^L blocks of level 0 (level-0 block b is in level-L block b / block_fanout^L),
// for L = 0 .. block_top_level, so a statement sums a few blocks of each level instead of
// every block below its seq.
constexpr int block_top_level = 4;
constexpr std::int64_t block_fanout = 4;

struct BlockAt {
    int level = 0;
    std::int64_t block = 0;
    friend bool operator==(const BlockAt&, const BlockAt&) = default;
};

// How many level-0 blocks one block of `level` holds: block_fanout^level.
std::int64_t blocks_per_block(int level);

// The blocks that together hold level-0 blocks 0 .. count - 1, each once: every whole block
// of the top level, then at each lower level, downwards, the whole blocks of what is left
// (at most block_fanout - 1 a level).
std::vector<BlockAt> blocks_below(std::int64_t count);

std::optional<LedgerSlice> read_slice_from_blocks(Store& store, const StatementQuery& query, SliceParts parts);

// The slice's shared-cost events up to `upto` (the checkpoint at most) from
// projection.shared_cost_events, appended to slice.shared_cost_invoices in seq order, with
// their periods, decision references and keys; Store::weigh_estimated_invoices adds the
// weights of estimated keys as of the slice's position.
void read_projected_invoices(pqxx::transaction_base& tx, LedgerSlice& slice, std::int64_t upto);

}  // namespace likvard
