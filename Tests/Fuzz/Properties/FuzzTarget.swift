import Foundation

/// The fuzzed components, named as `scripts/fuzz.sh` and the regression folders name them.
public enum FuzzTarget: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `QuoteParser`, its two JSON writers and `PageExtractor` (libxml2): arbitrary bytes as text and as an HTML page.
    case parser
    /// `SearchQuery`: arbitrary bytes as user search text, run against an in-memory FTS5 table.
    case query

    public var description: String { rawValue }

    /// `Tests/Fuzz/Regressions/<target>`: the inputs kept as regression tests.
    public var regressionFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Regressions").appendingPathComponent(rawValue)
    }
}

/// Checks inputs against one target's properties, keeping what is costly to set up
/// (the SQLite table) from one input to the next. One thread at a time.
public final class FuzzChecker {
    private enum Properties {
        case parser
        case query(QueryProperties)
    }

    public let target: FuzzTarget
    private let properties: Properties

    /// - Throws: ``PropertyViolation`` when the query target's SQLite table cannot be set up.
    public init(_ target: FuzzTarget) throws(PropertyViolation) {
        self.target = target
        switch target {
        case .parser: properties = .parser
        case .query: properties = .query(try QueryProperties())
        }
    }

    /// Runs one input through every property of the target.
    /// - Throws: ``PropertyViolation`` for the first property that does not hold.
    public func check(_ bytes: [UInt8]) throws(PropertyViolation) {
        switch properties {
        case .parser: try ParserProperties.check(bytes)
        case .query(let query): try query.check(bytes)
        }
    }
}

/// Files of saved inputs: the regular files in a folder and its subfolders, in name order,
/// without hidden files and `README*`; a file given directly is itself.
public enum FuzzInputs {
    public static func files(at url: URL) -> [URL] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [url] }
        guard let walker = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return [] }
        var found: [URL] = []
        for case let file as URL in walker {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  !file.lastPathComponent.hasPrefix("README") else { continue }
            found.append(file)
        }
        return found.sorted { $0.path < $1.path }
    }
}
