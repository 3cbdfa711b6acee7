/// The console's Mustache templates by name. Each lives in a file of its
/// own as a string constant, so the binary carries them (no resource bundle
/// to install beside it) and a test renders every one.
enum ConsoleTemplates {
    static let all: [(String, String)] = [
        ("layout", layout), ("login", login), ("error", error),
        ("instances", instances), ("instance", instance), ("statistics", statistics),
        ("pools", pools), ("pool", pool), ("events", events), ("agents", agents),
        ("chart", chart), ("world-map", worldMap), ("export-form", exportForm),
    ]
}
