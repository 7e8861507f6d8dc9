// Helpers the composite kinds (dataset, model, scores, metrics) use for their arrays: int64,
// float64, Boolean and float32 datasets read back with clear errors, and optional attributes.
import Formats
import TensorCore

extension HDF5Group {
    /// Writes `values` as the int64 dataset `name` of shape [n].
    public func writeWorkspaceInts(_ name: String, _ values: [Int]) throws {
        try writeDataset(name, StoredArray(shape: [values.count], elements: .int64(values.map(Int64.init))))
    }

    /// Reads the 1-D integer dataset `name` (any integer type, or integral floats as h5py may write).
    public func readWorkspaceInts(_ name: String) throws -> [Int] {
        let array = try readDataset(name)
        guard array.shape.count == 1 else {
            throw WorkspaceError.malformed(self, "'\(name)' must be a 1-D integer array, found shape \(array.shape)")
        }
        switch array.elements {
        case .int64(let values): return values.map { Int($0) }
        case .int32(let values): return values.map { Int($0) }
        case .int16(let values): return values.map { Int($0) }
        case .int8(let values): return values.map { Int($0) }
        case .uint8(let values): return values.map { Int($0) }
        case .bool, .float32, .float64:
            let doubles = array.doubles()
            guard doubles.allSatisfy({ $0.rounded() == $0 && abs($0) < 9e15 }) else {
                throw WorkspaceError.malformed(self, "'\(name)' must hold integers, found \(array.dtypeName) fractions")
            }
            return doubles.map { Int($0) }
        }
    }

    /// Writes `values` as the float64 dataset `name` of shape [n].
    public func writeWorkspaceDoubles(_ name: String, _ values: [Double]) throws {
        try writeDataset(name, StoredArray(shape: [values.count], elements: .float64(values)))
    }

    /// Reads the 1-D numeric dataset `name` as Double (float32 widens exactly).
    public func readWorkspaceDoubles(_ name: String) throws -> [Double] {
        let array = try readDataset(name)
        guard array.shape.count == 1 else {
            throw WorkspaceError.malformed(self, "'\(name)' must be a 1-D number array, found shape \(array.shape)")
        }
        return array.doubles()
    }

    /// Writes `values` as the uint8 dataset `name` [n] marked `ecgs_dtype = "bool"`.
    public func writeWorkspaceBools(_ name: String, _ values: [Bool]) throws {
        try writeDataset(name, StoredArray(shape: [values.count], elements: .bool(values)))
    }

    /// Reads the 1-D dataset `name` as Booleans (nonzero is true).
    public func readWorkspaceBools(_ name: String) throws -> [Bool] {
        try readWorkspaceDoubles(name).map { $0 != 0 }
    }

    /// Writes `tensor: [d0, d1, ...]` as the float32 dataset `name` with its real shape; `dims`
    /// (e.g. "lead,time") names the axes of arrays of rank 2 and more.
    public func writeWorkspaceTensor(_ name: String, _ tensor: Tensor, dims: String? = nil) throws {
        let dataset = try writeDataset(name, StoredArray(shape: tensor.shape, elements: .float32(tensor.scalars)))
        if let dims { try dataset.setAttribute("dims", .string(dims)) }
    }

    /// Reads the numeric dataset `name` as a float32 tensor of its shape; `rank`, when given, is required.
    public func readWorkspaceTensor(_ name: String, rank: Int? = nil) throws -> Tensor {
        let array = try readDataset(name)
        if let rank, array.shape.count != rank {
            throw WorkspaceError.malformed(self, "'\(name)' must have rank \(rank), found shape \(array.shape)")
        }
        do {
            return try Tensor(shape: array.shape, scalars: array.floats())
        } catch {
            throw WorkspaceError.malformed(self, "'\(name)' cannot be a tensor: \(error)")
        }
    }

    /// The optional float32 dataset `name` as a tensor, nil when absent.
    public func readOptionalWorkspaceTensor(_ name: String) throws -> Tensor? {
        try exists(name) ? try readWorkspaceTensor(name) : nil
    }
}

extension HDF5Object {
    /// The scalar number attribute `name`, nil when absent.
    public func optionalWorkspaceDouble(_ name: String) throws -> Double? {
        try hasAttribute(name) ? try workspaceDouble(name) : nil
    }

    /// The scalar integer attribute `name`, nil when absent.
    public func optionalWorkspaceInt(_ name: String) throws -> Int? {
        try hasAttribute(name) ? Int(try workspaceInt(name)) : nil
    }

    /// The scalar string attribute `name`, required.
    public func requiredWorkspaceString(_ name: String) throws -> String {
        guard try hasAttribute(name) else {
            throw WorkspaceError.malformed(self, "missing the attribute '\(name)' (a string)")
        }
        guard case .string(let text) = try attribute(name) else {
            throw WorkspaceError.malformed(self, "the attribute '\(name)' must be a scalar string")
        }
        return text
    }

    /// A string attribute naming one case of `Choice`, required; an unknown name lists the known ones.
    public func workspaceChoice<Choice: RawRepresentable & CaseIterable>(_ name: String, _ type: Choice.Type) throws -> Choice
    where Choice.RawValue == String {
        let text = try requiredWorkspaceString(name)
        guard let choice = Choice(rawValue: text) else {
            let known = Choice.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw WorkspaceError.malformed(self, "the attribute '\(name)' is '\(text)', expected one of \(known)")
        }
        return choice
    }
}
