//! One test per failure found by attacking the rebuild and the server
//! (issue 15), each named after what it checks. Every test here failed on
//! the code before the fix.
//!
//! The sections follow the numbering; keep new tests in their section.

#![allow(unused_imports)]

use crate::util;

// ---------------------------------------------------------------------------
// 1. Memory bounded for files read whole; one file never stops the batch.
// 11. HTML parsing linear in the input.
// 5. Streamed files: the whole document's facets; places stored once.
// (section: bounds)

// end of section: bounds
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 3. `--update` equals a rebuild.
// 4. Bad metadata is reported.
// 6. File names kept losslessly.
// 15. Orphan metadata and FIFOs listed; one spelling of "permission denied".
// (section: update)

// end of section: update
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 7. The index folder is repsearch's.
// 8. An empty or unreadable corpus never replaces a live index.
// 9. A lock that cannot race and dies with its holder.
// 10. A search during a rebuild never fails.
// 15. A disk-full rebuild says so.
// (section: store)

// end of section: store
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 2. `--offset` bounded.
// 14. Deterministic tie-break.
// 15. `--limit 0`.
// (section: search)

// end of section: search
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 12. Server timeouts and connection cap.
// 13. The OpenAPI description states the server's constraints.
// (section: server)

// end of section: server
// ---------------------------------------------------------------------------
