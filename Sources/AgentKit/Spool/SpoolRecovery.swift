import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SpoolDirectory {
    /// What opening the spool found on disk.
    struct Recovered {
        /// Oldest first.
        var batches: [StoredBatch]
        var state: SpoolState
    }

    /// Creates the directory if needed and rebuilds the spool's index from
    /// the files: removes interrupted writes, sets aside batch files too
    /// short to be batches, and makes the counters agree with what is stored.
    func recover(logger: Logger) throws -> Recovered {
        try create()
        var batches: [StoredBatch] = []
        var damaged: [UInt64] = []
        for name in try names() {
            if name.hasSuffix(Self.temporarySuffix) {
                // A write killed before its rename: the append never returned
                // (and its sequence was never persisted), so nobody counts on it.
                if unlink(file(name)) == 0 {
                    logger.notice("removed an interrupted spool write", metadata: ["file": "\(name)"])
                } else {
                    logger.error("cannot remove an interrupted spool write",
                                 metadata: ["file": "\(name)", "error": "\(String(cString: strerror(errno)))"])
                }
                continue
            }
            guard let sequence = BatchFile.sequence(fromName: name), let size = regularFileSize(name) else { continue }
            if size < BatchFile.headerSize {
                damaged.append(sequence)
            } else {
                batches.append(StoredBatch(sequence: sequence, size: size - BatchFile.headerSize))
            }
        }
        batches.sort { $0.sequence < $1.sequence }

        let persisted = try readState(logger: logger)
        var state = persisted ?? SpoolState()
        if persisted == nil, let oldest = batches.first?.sequence {
            // Without the counters, whatever preceded the oldest batch is
            // unknown. Declaring it dropped keeps delivery going: the
            // collector only needs the mark to accept a gap it has not
            // already seen, and counts just that gap.
            state.droppedThrough = oldest - 1
        }
        // A batch written but not yet followed by its state update still
        // holds a sequence that must not be handed out again.
        state.lastSequence = max(state.lastSequence, batches.last?.sequence ?? 0, damaged.max() ?? 0)
        state.recordDropped(damaged)
        if state != persisted {
            // Counted before the files move, like every drop.
            try writeState(state)
        }
        for sequence in damaged {
            logger.error("spooled batch file is damaged; set it aside, counted as dropped",
                         metadata: ["sequence": "\(sequence)", "error": "shorter than its header"])
            try quarantine(sequence)
        }
        return Recovered(batches: batches, state: state)
    }
}
