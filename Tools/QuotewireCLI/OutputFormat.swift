import ArgumentParser

/// How a query command prints its results (`--format`).
///
/// - `table`: aligned columns for a person at a terminal (``TablePrinter``);
/// - `json`: one JSON document with every result;
/// - `jsonl`: one compact JSON object per result and line (``JSONLinesWriter``);
/// - `csv`: RFC 4180, a header row then one row per result (``CSVWriter``).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, jsonl, csv
}
