import ArgumentParser
import QuotewireCLI

// The commands live in QuotewireCLI, where tests run them in-process.
do {
    try await Quotewire.execute()
} catch {
    Quotewire.exit(withError: error)
}
