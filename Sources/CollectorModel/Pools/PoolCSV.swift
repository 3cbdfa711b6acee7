/// The lab pinger's CSV export (seed 004), cell for cell: `Datum`, then six
/// cells per pool, one row per day. Figures are not rounded and are printed
/// as Python prints floats (`2.9166666666666665`, `0.0`), as the seed wrote them.
public enum PoolCSV {
    public enum Dialect: String, Sendable, CaseIterable {
        /// Every field quoted, LF line ends (Python's `csv.unix_dialect`).
        case unix
        /// Quoted only where needed, CRLF line ends (Python's `csv.excel`).
        case excel
    }

    public static let header = ["", "Raum Nr", "Summe der Laufzeit (in h)", "Durchschnittliche Laufzeit (in h)", "Verbrauch", "Anzahl Rechner"]

    /// `reports` holds each pool's days in the same order as `days`; pools
    /// in the order their columns appear (by id).
    public static func render(days: [ReportDay], pools: [(pool: Pool, days: [PoolDayReport])], dialect: Dialect) -> String {
        var rows: [[String]] = [["Datum"] + pools.flatMap { _ in header }]
        for (index, day) in days.enumerated() {
            var row = [day.label]
            for (pool, reports) in pools {
                let report = reports.indices.contains(index) ? reports[index] : nil
                row += ["", pool.room, hours(report?.runtimeHours ?? 0), hours(report?.averageHours ?? 0),
                        hours(report?.wattHours ?? 0), String(pool.computers.count)]
            }
            rows.append(row)
        }
        let end = dialect == .unix ? "\n" : "\r\n"
        return rows.map { $0.map { quote($0, dialect) }.joined(separator: ",") + end }.joined()
    }

    public static func hours(_ value: Double) -> String {
        JSONText.float(value)
    }

    static func quote(_ field: String, _ dialect: Dialect) -> String {
        let needs = dialect == .unix || field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        return needs ? "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : field
    }
}
