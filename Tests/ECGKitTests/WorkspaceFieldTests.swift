// The field helpers value kinds build on: required numeric attributes with clear errors,
// optional strings, and JSON in string datasets with sorted keys.
import ECGKit
import Foundation
import Testing
import TestSupport
@testable import Formats

@Suite("Workspace field helpers")
struct WorkspaceFieldTests {
    struct Config: Codable, Equatable {
        var latentDim: Int
        var heads: Int
        var dropout: Double
        var name: String
    }

    @Test("numbers convert between int64 and float64 only when exact; missing and wrong types name the group")
    func attributes() throws {
        let folder = try ScratchFolder.folder("fields")
        let url = folder.appendingPathComponent("f.h5")
        try HDF5File.saveAtomically(to: url) { root in
            let group = try root.createGroup("g")
            try group.setAttribute("rate", .double(500))
            try group.setAttribute("epochs", .int64(30))
            try group.setAttribute("half", .double(2.5))
            try group.setAttribute("label", .string("cae"))
            try group.setAttribute("list", .doubles([1, 2]))
            try group.writeWorkspaceJSON("config", Config(latentDim: 32, heads: 4, dropout: 0.1, name: "a/b ü"))
            try group.writeString("broken", "{\"latentDim\": 32")
        }
        let group = try HDF5File.open(at: url).root().openGroup("g")
        #expect(try group.workspaceDouble("rate") == 500)
        #expect(try group.workspaceDouble("epochs") == 30)
        #expect(try group.workspaceInt("epochs") == 30)
        #expect(try group.workspaceInt("rate") == 500)
        #expect(try group.workspaceString("label") == "cae")
        #expect(try group.workspaceString("absent", default: "none") == "none")
        let notInteger = try #require(throws: WorkspaceError.self) { try group.workspaceInt("half") }
        #expect(notInteger.description == "\(url.path): /g: the attribute 'half' must be a scalar integer")
        let missing = try #require(throws: WorkspaceError.self) { try group.workspaceDouble("fs") }
        #expect(missing.description == "\(url.path): /g: missing the attribute 'fs' (a scalar number)")
        let array = try #require(throws: WorkspaceError.self) { try group.workspaceDouble("list") }
        #expect(array.kind == .malformed)

        #expect(try group.readString("config") == #"{"dropout":0.1,"heads":4,"latentDim":32,"name":"a/b ü"}"#)
        #expect(try group.readWorkspaceJSON(Config.self, "config", expected: "a model configuration")
                == Config(latentDim: 32, heads: 4, dropout: 0.1, name: "a/b ü"))
        let broken = try #require(throws: WorkspaceError.self) {
            try group.readWorkspaceJSON(Config.self, "broken", expected: "a model configuration")
        }
        #expect(broken.description.hasPrefix("\(url.path): /g: 'broken' is not a model configuration: "))
        try? FileManager.default.removeItem(at: folder)
    }
}
