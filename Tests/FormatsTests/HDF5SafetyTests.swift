// Failure behaviour of the HDF5 layer: foreign and damaged files give clear errors with no
// stderr output, and atomic saves survive a throwing writer and a SIGKILL mid-write.
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("HDF5 safety", .serialized)
struct HDF5SafetyTests {
    /// Writes a small valid workspace-like file with `value` in /variables/x.
    static func writeGood(_ url: URL, value: Float) throws {
        try HDF5File.saveAtomically(to: url) { root in
            try root.setAttribute("format", .string("ecgs-workspace"))
            try root.createGroup("variables/x").writeDataset("data", StoredArray(shape: [2], elements: .float32([value, -value])))
        }
    }

    static func readGood(_ url: URL) throws -> [Float] {
        try HDF5File.open(at: url).root().readDataset("variables/x/data").floats()
    }

    @Test("empty, random, text, truncated and missing files give clear errors and print nothing")
    func corruptCorpus() throws {
        let folder = try ScratchFolder.folder("h5corrupt")
        let good = folder.appendingPathComponent("good.h5")
        try HDF5File.saveAtomically(to: good) { root in
            try root.writeDataset("x", StoredArray(shape: [4096], elements: .float64((0..<4096).map(Double.init))))
        }
        let goodBytes = try Data(contentsOf: good)
        var generator = SystemRandomNumberGenerator()
        let cases: [(String, Data, String)] = [
            ("empty.h5", Data(), "the file is empty, 0 bytes"),
            ("random.h5", Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }), "no HDF5 signature"),
            ("text.h5", Data("format = ecgs-workspace\nnot really hdf5\n".utf8), "no HDF5 signature"),
            ("truncated.h5", goodBytes.prefix(goodBytes.count / 2), "truncated"),
            ("header-only.h5", goodBytes.prefix(600), "damaged or truncated"),
        ]
        var errors: [HDF5Error] = []
        let printed = try StandardErrorCapture.capture {
            for (name, bytes, _) in cases {
                let url = folder.appendingPathComponent(name)
                try bytes.write(to: url)
                do {
                    _ = try HDF5File.open(at: url).root().readDataset("x")
                    Issue.record("\(name) opened without error")
                } catch let error as HDF5Error {
                    errors.append(error)
                }
            }
            do {
                _ = try HDF5File.open(at: folder.appendingPathComponent("missing.h5"))
            } catch let error as HDF5Error {
                errors.append(error)
            }
        }
        // stderr is process-wide and Swift Testing reports other tests' progress there while
        // this one runs, so look for what HDF5 itself would print rather than for silence.
        #expect(!printed.contains("HDF5-DIAG") && !printed.contains("H5F") && !printed.contains("#000"),
                "stderr: \(printed)")
        try #require(errors.count == cases.count + 1)
        for (error, (name, _, phrase)) in zip(errors, cases) {
            #expect(error.kind == .notHDF5, "\(name): \(error)")
            #expect(error.description.contains(name), "\(error)")
            #expect(error.description.contains(phrase), "\(name): \(error)")
        }
        #expect(errors.last?.kind == .fileNotFound)
        #expect(errors.last?.description.contains("missing.h5") == true)
    }

    @Test("a failing writer leaves the old file untouched and no temporary file")
    func throwingWriterKeepsOldFile() throws {
        struct Interrupted: Error {}
        let folder = try ScratchFolder.folder("h5atomic")
        let url = folder.appendingPathComponent("w.h5")
        try Self.writeGood(url, value: 1.5)
        #expect(throws: Interrupted.self) {
            try HDF5File.saveAtomically(to: url) { root in
                try root.writeDataset("partial", StoredArray(shape: [1000], elements: .float32(.init(repeating: 9, count: 1000))))
                throw Interrupted()
            }
        }
        #expect(try Self.readGood(url) == [1.5, -1.5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.h5"])
        // A library failure inside the writer (invalid name) behaves the same.
        #expect(throws: HDF5Error.self) {
            try HDF5File.saveAtomically(to: url) { root in try root.writeString("/abs", "x") }
        }
        #expect(try Self.readGood(url) == [1.5, -1.5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["w.h5"])
    }

    @Test("SIGKILL of a process in the middle of a large save leaves the previous file intact")
    func killedSaveKeepsOldFile() throws {
        let folder = try ScratchFolder.folder("h5kill")
        let url = folder.appendingPathComponent("w.h5")
        try Self.writeGood(url, value: 2.25)
        let before = try Data(contentsOf: url)

        let child = HDF5Library.forkHoldingLock()
        try #require(child >= 0)
        if child == 0 {
            // The child saves ~400 MB through the API until it is killed.
            let block = StoredArray(shape: [1024, 1024], elements: .float32(.init(repeating: 3, count: 1 << 20)))
            try? HDF5File.saveAtomically(to: url) { root in
                for index in 0..<100 { try root.writeDataset("t\(index)", block, compression: .none) }
            }
            _exit(0)
        }
        // The temporary file of the child is `.w.h5.tmp-<child pid>`.
        let temporary = folder.appendingPathComponent(".w.h5.tmp-\(child)")
        var sawPartialWrite = false
        for _ in 0..<600 {
            let size = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
            if size > 8 << 20 {
                sawPartialWrite = true
                break
            }
            usleep(50_000)
        }
        kill(child, SIGKILL)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect(sawPartialWrite, "the child never started writing its temporary file")
        #expect(try Data(contentsOf: url) == before)
        #expect(try Self.readGood(url) == [2.25, -2.25])
        try? FileManager.default.removeItem(at: folder)
    }
}
