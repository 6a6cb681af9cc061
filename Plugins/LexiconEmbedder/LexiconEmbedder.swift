import Foundation
import PackagePlugin

/// Turns the word lists in a target's `Lexicons/` folder into one Swift file of string constants
/// (`LexiconData`), so that the lists stay data files and the binaries carry them with no resource
/// bundle. `lexicon-embed` checks each list (sorted, no duplicates) and fails the build when one is not.
@main
struct LexiconEmbedder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let folder = target.directoryURL.appending(path: "Lexicons")
        let lists = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "LexiconData.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(lists.count) word lists of \(target.name)",
                executable: try context.tool(named: "lexicon-embed").url,
                arguments: [output.path] + lists.map(\.path),
                inputFiles: lists,
                outputFiles: [output]
            )
        ]
    }
}
