import Foundation
import QuotewireFuzzProperties
import Testing

/// Every input kept from fuzzing (crashers after their fix, and a minimised corpus) still
/// passes the fuzz properties; the project's own sample articles do too.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    @Test(arguments: FuzzTarget.allCases)
    func keptInputsKeepTheirProperties(_ target: FuzzTarget) throws {
        let files = FuzzInputs.files(at: target.regressionFolder)
        #expect(files.count >= 10, "\(target.regressionFolder.path) should hold the kept inputs")
        try replay(files, through: FuzzChecker(target))
    }

    @Test func sampleArticlesKeepTheParserProperties() throws {
        // Tests/Fuzz/RegressionTests/this file → the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let samples = root.appendingPathComponent("samples")
        let files = FuzzInputs.files(at: samples)
        #expect(!files.isEmpty)
        try replay(files, through: FuzzChecker(.parser))
    }

    private func replay(_ files: [URL], through checker: FuzzChecker) throws {
        for file in files {
            let bytes = Array(try Data(contentsOf: file))
            do {
                try checker.check(bytes)
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
            }
        }
    }
}
