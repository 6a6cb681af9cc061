/// Defaults that more than one service's configuration shares; each configuration struct
/// takes them from here, and the flags take theirs from the configuration structs.
public enum ServiceDefaults {
    /// The address servers listen on: this machine only, unless told otherwise.
    public static let host = "127.0.0.1"
    /// The index folder the indexer writes and the query service reads.
    public static let indexPath = "./data/index"
    /// The query service's port, which the `quotewire` query commands ask by default.
    public static let queryPort = 8081
    /// The query service's web pages' port.
    public static let webPort = 8084
}
