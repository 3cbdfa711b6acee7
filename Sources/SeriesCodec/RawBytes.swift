extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with the typed error kept: the standard library's
    /// version rethrows `any Error`.
    func withRawBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws(ChunkDecodingError) -> Result
    ) throws(ChunkDecodingError) -> Result {
        let outcome = withUnsafeBytes { raw in
            Swift.Result { () throws(ChunkDecodingError) -> Result in try body(raw) }
        }
        return try outcome.get()
    }
}
