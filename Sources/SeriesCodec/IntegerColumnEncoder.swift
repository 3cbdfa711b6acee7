/// Choosing and writing an `IntegerColumn` block.
extension IntegerColumn {
    /// One order's packing of a block.
    fileprivate struct Candidate {
        var order = 0
        var base: Int64 = 0
        var divisor: UInt64 = 0
        var plan = PackingPlan()
        var cost = Int.max
    }

    static func encode(
        _ values: UnsafeMutableBufferPointer<Int64>, state: inout State,
        scratch: UnsafeMutableBufferPointer<UInt64>, into writer: inout BitWriter
    ) {
        let count = values.count
        // Every order's residuals and their range, in one pass (scalar:
        // SIMD3<Int64> min/max is emulated without SSE4.2 and slower).
        var low0 = Int64.max, high0 = Int64.min
        var low1 = Int64.max, high1 = Int64.min
        var low2 = Int64.max, high2 = Int64.min
        var previous = state.previous
        var previousDelta = state.previousDelta
        for index in 0..<count {
            let value = values[index]
            let delta = value &- previous
            let deltaOfDelta = delta &- previousDelta
            scratch[index] = UInt64(bitPattern: value)
            scratch[count &+ index] = UInt64(bitPattern: delta)
            scratch[2 &* count &+ index] = UInt64(bitPattern: deltaOfDelta)
            low0 = min(low0, value); high0 = max(high0, value)
            low1 = min(low1, delta); high1 = max(high1, delta)
            low2 = min(low2, deltaOfDelta); high2 = max(high2, deltaOfDelta)
            previous = value
            previousDelta = delta
        }
        let low = SIMD3(low0, low1, low2)
        // Differences of signed extremes, read as unsigned: exact even when
        // the span exceeds Int64.max.
        let spans = SIMD3(
            UInt64(bitPattern: high0 &- low0), UInt64(bitPattern: high1 &- low1), UInt64(bitPattern: high2 &- low2))

        // Orders by the width of their span, narrowest first: it is usually
        // the best, and a constant one (span 0) ends the search.
        var sequence = SIMD3(0, 1, 2)
        func key(_ order: Int) -> Int { spans[order].bitWidthNeeded &* 4 &+ order }
        if key(sequence[0]) > key(sequence[1]) { sequence.swapAt(0, 1) }
        if key(sequence[1]) > key(sequence[2]) { sequence.swapAt(1, 2) }
        if key(sequence[0]) > key(sequence[1]) { sequence.swapAt(0, 1) }
        // Pricing an order costs as much as the rest of the encoding, so
        // most blocks price only the narrowest and the last block's choice;
        // every eighth prices all three, which finds a change in the
        // data's shape (patched outliers can make a wider order win)
        // within eight blocks.
        let survey = state.blocksUntilSurvey == 0
        var best = Candidate()
        for rank in 0..<3 {
            let order = sequence[rank]
            if !survey, rank > 0, order != state.lastOrder { continue }
            let quotients = UnsafeMutableBufferPointer(rebasing: scratch[(order &* count)..<(order &* count &+ count)])
            let candidate = plan(quotients, order: order, base: low[order], span: spans[order], state: state)
            if candidate.cost < best.cost || (candidate.cost == best.cost && candidate.order < best.order) { best = candidate }
            if spans[order] == 0 { break }
        }

        write(best, quotients: UnsafeMutableBufferPointer(rebasing: scratch[(best.order &* count)..<(best.order &* count &+ count)]),
              state: state, into: &writer)
        state = State(
            previous: previous, previousDelta: previousDelta, lastOrder: best.order,
            blocksUntilSurvey: survey ? surveyInterval &- 1 : state.blocksUntilSurvey &- 1)
    }

    /// Turns one order's residuals into quotients in place and prices them.
    private static func plan(
        _ residuals: UnsafeMutableBufferPointer<UInt64>, order: Int, base: Int64, span: UInt64, state: State
    ) -> Candidate {
        let baseBytes = ZigZag.encode(base &- state.prediction(order: order)).varintLength
        guard span != 0 else { return Candidate(order: order, base: base, cost: 8 &* baseBytes) }
        let divisor = ExactDivisor.subtractAndFindDivisor(UInt64(bitPattern: base), from: residuals)
        if divisor > 1 {
            let exact = ExactDivisor(divisor)
            for index in residuals.indices { residuals[index] = exact.quotient(residuals[index]) }
        }
        let plan = PackingPlan.cheapest(for: residuals, maximum: span / divisor)
        return Candidate(
            order: order, base: base, divisor: divisor, plan: plan,
            cost: plan.cost &+ 8 &* (baseBytes &+ divisor.varintLength))
    }

    private static func write(
        _ candidate: Candidate, quotients: UnsafeMutableBufferPointer<UInt64>, state: State, into writer: inout BitWriter
    ) {
        let plan = candidate.plan
        var flags = UInt8(candidate.order)
        if plan.patchCount > 0 { flags |= patchesFlag }
        if plan.offset != 0 { flags |= offsetFlag }
        writer.appendByte(flags)
        writer.appendByte(UInt8(plan.width))
        writer.appendVarint(ZigZag.encode(candidate.base &- state.prediction(order: candidate.order)))
        // A constant block ends at its base.
        guard plan.width > 0 || flags != UInt8(candidate.order) else { return }
        writer.appendVarint(candidate.divisor)
        if plan.offset != 0 { writer.appendVarint(plan.offset) }
        if plan.patchCount > 0 {
            writer.appendByte(UInt8(plan.patchCount))
            writer.appendByte(UInt8(plan.patchWidth))
        }
        let limit = plan.width == 64 ? UInt64.max : (1 &<< UInt64(plan.width)) &- 1
        if plan.width > 0 {
            for quotient in quotients {
                let packed = quotient &- plan.offset
                // A patched value's slot is written as zero.
                writer.write(packed <= limit ? packed : 0, bitCount: plan.width)
            }
        }
        if plan.patchCount > 0 {
            for (position, quotient) in quotients.enumerated() where quotient &- plan.offset > limit {
                writer.write(UInt64(position), bitCount: PackingPlan.positionBits)
                writer.write(quotient, bitCount: plan.patchWidth)
            }
        }
        writer.alignToByte()
    }
}

extension SIMD3 {
    /// For sorting the three orders without an array.
    fileprivate mutating func swapAt(_ i: Int, _ j: Int) {
        let saved = self[i]
        self[i] = self[j]
        self[j] = saved
    }
}
