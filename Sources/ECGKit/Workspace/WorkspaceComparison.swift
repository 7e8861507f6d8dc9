// Comparing what two workspace files store for the same variables, object by object and bit for
// bit: what `replay` reports and what the reproducibility tests check.
import Foundation
import Formats

extension Workspace {
    /// For each of `names`, the objects (paths inside the variable's group) whose stored contents
    /// differ between the workspaces at `first` and `second`: a dataset's shape, type or element bits
    /// (NaN equals NaN of the same payload), an attribute's value bits, a group's children or their
    /// order. An empty list means the variable is stored bit-identically. Objects whose path ends with
    /// one of `ignoring` (e.g. "history/seconds", wall-clock times) are not compared.
    /// - Throws: `WorkspaceError` when a file cannot be read or lacks one of `names`.
    public static func differences(between first: URL, and second: URL, names: [String],
                                   ignoring: [String] = []) throws -> [String: [String]] {
        try WorkspaceError.wrapping {
            let firstFile = try HDF5File.open(at: first)
            defer { try? firstFile.close() }
            let secondFile = try HDF5File.open(at: second)
            defer { try? secondFile.close() }
            let firstVariables = try firstFile.root().openGroup(WorkspaceFormat.variablesGroup)
            let secondVariables = try secondFile.root().openGroup(WorkspaceFormat.variablesGroup)
            var result: [String: [String]] = [:]
            for name in names {
                var found: [String] = []
                try compareGroups(try firstVariables.openGroup(name), try secondVariables.openGroup(name), path: "",
                                  ignoring: ignoring, into: &found)
                result[name] = found
            }
            return result
        }
    }

    private static func compareGroups(_ first: HDF5Group, _ second: HDF5Group, path: String, ignoring: [String],
                                       into found: inout [String]) throws {
        let place = path.isEmpty ? "." : path
        try compareAttributes(first, second, place: place, into: &found)
        let children = try first.childNames()
        guard children == (try second.childNames()) else {
            found.append("\(place) (children differ)")
            return
        }
        for child in children {
            let childPath = path.isEmpty ? child : path + "/" + child
            if ignoring.contains(where: { childPath.hasSuffix($0) }) { continue }
            let kind = try first.kind(of: child)
            guard kind == (try second.kind(of: child)) else {
                found.append("\(childPath) (kind differs)")
                continue
            }
            switch kind {
            case .group?:
                try compareGroups(try first.openGroup(child), try second.openGroup(child), path: childPath,
                                  ignoring: ignoring, into: &found)
            case .dataset?:
                let firstDataset = try first.openDataset(child), secondDataset = try second.openDataset(child)
                try compareAttributes(firstDataset, secondDataset, place: childPath, into: &found)
                let same: Bool
                if try firstDataset.holdsStrings() || secondDataset.holdsStrings() {
                    same = try firstDataset.holdsStrings() && secondDataset.holdsStrings()
                        && firstDataset.shape() == secondDataset.shape()
                        && firstDataset.readStrings() == secondDataset.readStrings()
                } else {
                    same = sameBits(try firstDataset.read(), try secondDataset.read())
                }
                if !same { found.append(childPath) }
            default:
                continue
            }
        }
    }

    private static func compareAttributes(_ first: HDF5Object, _ second: HDF5Object, place: String,
                                          into found: inout [String]) throws {
        let names = try first.attributeNames()
        guard Set(names) == Set(try second.attributeNames()) else {
            found.append("\(place) (attributes differ)")
            return
        }
        for name in names.sorted() where !sameBits(try first.attribute(name), try second.attribute(name)) {
            found.append("\(place) @\(name)")
        }
    }

    private static func sameBits(_ first: HDF5AttributeValue, _ second: HDF5AttributeValue) -> Bool {
        switch (first, second) {
        case (.double(let a), .double(let b)): a.bitPattern == b.bitPattern
        case (.doubles(let a), .doubles(let b)): a.map(\.bitPattern) == b.map(\.bitPattern)
        default: first == second
        }
    }

    private static func sameBits(_ first: StoredArray, _ second: StoredArray) -> Bool {
        guard first.shape == second.shape else { return false }
        switch (first.elements, second.elements) {
        case (.float32(let a), .float32(let b)): return a.map(\.bitPattern) == b.map(\.bitPattern)
        case (.float64(let a), .float64(let b)): return a.map(\.bitPattern) == b.map(\.bitPattern)
        default: return first.elements == second.elements
        }
    }
}
