import Foundation

/// The files under a folder, for `quotewire publish`: every regular file at any depth, in
/// name order at each level (so two runs over the same tree print the same lines).
///
/// Hidden files and folders (a name starting with `.`) are left out. Symbolic links are
/// followed, but a folder already walked (by device and inode) is not walked again, so a
/// link back to an ancestor ends instead of looping. Sockets, FIFOs and devices are left
/// out; what cannot be listed or inspected is reported with its path.
enum FolderWalk {
    /// One thing found under the folder.
    enum Entry: Equatable {
        /// A regular file to read.
        case file(String)
        /// A path that could not be listed or inspected, and why.
        case unreadable(String, String)
    }

    /// Every entry under `root`, depth first, names sorted at each level.
    static func entries(under root: String) -> [Entry] {
        var walk = Walk()
        walk.visit(folder: root)
        return walk.entries
    }

    /// A folder's identity on disk, whatever path led to it.
    private struct FolderIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private struct Walk {
        var entries: [Entry] = []
        var seen: Set<FolderIdentity> = []

        mutating func visit(folder: String) {
            var info = stat()
            guard stat(folder, &info) == 0 else {
                entries.append(.unreadable(folder, "cannot inspect the folder: \(String(cString: strerror(errno)))"))
                return
            }
            guard seen.insert(FolderIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else { return }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                entries.append(.unreadable(folder, "cannot list the folder: \(error.localizedDescription)"))
                return
            }
            for name in names {
                let path = (folder as NSString).appendingPathComponent(name)
                guard stat(path, &info) == 0 else {
                    entries.append(.unreadable(path, "cannot inspect the file: \(String(cString: strerror(errno)))"))
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: visit(folder: path)
                case S_IFREG: entries.append(.file(path))
                default: continue
                }
            }
        }
    }
}
