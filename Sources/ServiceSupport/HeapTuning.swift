import CMalloc

/// glibc's allocator, tuned for a service whose work comes in bursts of
/// large, short-lived arrays (a compaction round holds its points sorted in
/// memory, a `/write` body its lines). Untuned, three quarters of the
/// collector's resident memory after 10M events was memory malloc had freed
/// and kept: 276 MB resident, 99 MB after `malloc_trim` (measured
/// 2026-12-01).
public enum HeapTuning {
    /// First thing in `main`, before the work starts.
    public static func configureForBursts() {
        // A fixed threshold: blocks of 256 KiB and more are mapped, and
        // unmapped when freed. glibc otherwise raises its threshold after
        // each such free (up to 32 MiB) and serves the next ones from the
        // heap, where freed space stays resident. Fewer arenas and a trim
        // after every compaction round kept the peak lower still (221 MB
        // against 310 MB) but cost `/write` 40 % of its rate: not taken.
        _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
        // With the threshold fixed, glibc also stops raising its trim
        // threshold (128 KiB): every burst's free gave the heap's top back
        // and the next burst faulted it in again, page by page. Keeping
        // 16 MiB at the top and growing by 4 MiB more than asked took 7 %
        // of the collector's CPU off 10M events (three A/B runs, 1.19M ->
        // 1.27M events/s) for 30 MB more at the peak; `HeapTrimmer` still
        // gives it all back when the burst is over (`malloc_trim` ignores
        // the threshold).
        _ = mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024)
        _ = mallopt(M_TOP_PAD, 4 * 1024 * 1024)
    }
}
