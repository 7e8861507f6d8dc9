// The HDF5 gate under concurrency: many tasks saving and loading different files at once
// must all succeed with intact contents (libhdf5 calls are serialised by HDF5Library).
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("HDF5 concurrency")
struct HDF5ConcurrencyTests {
    @Test("16 concurrent save/load cycles on different files keep every value")
    func concurrentSavesAndLoads() async throws {
        let folder = try ScratchFolder.folder("h5concurrent")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let url = folder.appendingPathComponent("w\(index).h5")
                    let values = (0..<20_000).map { Float($0 * (index + 1)) }
                    for round in 0..<3 {
                        try HDF5File.saveAtomically(to: url) { root in
                            try root.setAttribute("round", .int64(Int64(round)))
                            try root.createGroup("variables/x").writeDataset("data", StoredArray(shape: [200, 100], elements: .float32(values)))
                        }
                        let root = try HDF5File.open(at: url).root()
                        #expect(try root.attribute("round") == .int64(Int64(round)))
                        #expect(try root.readDataset("variables/x/data").floats() == values)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
