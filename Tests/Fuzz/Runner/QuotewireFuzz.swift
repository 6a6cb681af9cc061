import Foundation
import QuotewireFuzzProperties
#if FUZZING
import CLibFuzzer
#endif

/// `quotewire-fuzz`, in two builds:
///
/// - with `-sanitize=fuzzer,address -DFUZZING` (`scripts/fuzz.sh`): libFuzzer fuzzes the target named by
///   `QUOTEWIRE_FUZZ_TARGET` (`parser` or `query`); every argument is libFuzzer's. A property that
///   fails traps, so libFuzzer saves the input as a crash.
/// - otherwise: `quotewire-fuzz parser|query [FILE|FOLDER…]` replays saved inputs through the same
///   properties (with no path, the target's `Tests/Fuzz/Regressions/` folder) and exits 1 when one fails.
@main
struct QuotewireFuzz {
    static func main() {
        #if FUZZING
        fuzz()
        #else
        replay()
        #endif
    }

    #if FUZZING
    /// Set before the fuzzing loop starts; libFuzzer calls the target from one thread.
    nonisolated(unsafe) static var checker: FuzzChecker?

    static func fuzz() -> Never {
        let name = ProcessInfo.processInfo.environment["QUOTEWIRE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("quotewire-fuzz: set QUOTEWIRE_FUZZ_TARGET to parser or query\n".utf8))
            exit(2)
        }
        do {
            checker = try FuzzChecker(target)
        } catch {
            FileHandle.standardError.write(Data("quotewire-fuzz: cannot set up the \(target) target: \(error)\n".utf8))
            exit(2)
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
    }
    #else
    static func replay() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let target = FuzzTarget(rawValue: first) else {
            print("usage: quotewire-fuzz parser|query [FILE|FOLDER…]")
            exit(2)
        }
        let paths = arguments.count > 1 ? arguments.dropFirst().map { URL(fileURLWithPath: $0) } : [target.regressionFolder]
        let checker: FuzzChecker
        do {
            checker = try FuzzChecker(target)
        } catch {
            print("cannot set up the \(target) target: \(error)")
            exit(2)
        }
        var count = 0
        var failures = 0
        for path in paths {
            for file in FuzzInputs.files(at: path) {
                guard let data = FileManager.default.contents(atPath: file.path) else {
                    print("unreadable: \(file.path)")
                    failures += 1
                    continue
                }
                count += 1
                do {
                    try checker.check(Array(data))
                } catch {
                    failures += 1
                    print("FAIL \(file.path)\n  \(error)")
                }
            }
        }
        print("\(target): replayed \(count) inputs, \(failures) failed")
        exit(failures == 0 && count > 0 ? 0 : 1)
    }
    #endif
}

#if FUZZING
/// libFuzzer's target. It also has to exist under this name: the fuzzer runtime's own (unused) `main` refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let checker = QuotewireFuzz.checker else { fatalError("quotewire-fuzz: no target set up") }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try checker.check(bytes)
    } catch {
        fatalError("property violated (\(checker.target)): \(error)")
    }
    return 0
}
#endif
