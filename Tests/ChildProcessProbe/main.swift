import ChildProcesses
import Foundation

// For ChildProcessesTests: starts `sleep 600` through ChildProcesses from a thread that ends at
// once, prints the sleeper's pid and then "started", and waits to be killed. The sleeper must
// outlive that thread and die with this process.
let started = DispatchSemaphore(value: 0)
nonisolated(unsafe) var sleeper: Int32 = 0
let starter = Thread {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sleep")
    process.arguments = ["600"]
    do {
        try process.runTiedToThisProcess()
        sleeper = process.processIdentifier
    } catch {
        FileHandle.standardError.write(Data("cannot start sleep: \(error)\n".utf8))
        exit(1)
    }
    started.signal()
}
starter.start()
started.wait()
FileHandle.standardOutput.write(Data("\(sleeper)\nstarted\n".utf8))
while true { sleep(60) }
