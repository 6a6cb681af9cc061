import ArgumentParser

/// The options of every benchmark that runs the service executables against a broker.
struct ServiceRunOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap brokers: a fresh broker, whose pipeline topics are empty and on which the run may create and delete topics.")
    var brokers: String

    @Option(help: "Folder holding the service executables (default: beside this executable).")
    var binDir: String?

    @Option(help: "The broker's pid, to report its CPU seconds and RSS too (its RSS is not judged: the local broker keeps every message in memory).")
    var brokerPid: Int32?

    @Option(help: "Seconds without progress before the run is declared stuck.")
    var stallSeconds: Int = 120
}
