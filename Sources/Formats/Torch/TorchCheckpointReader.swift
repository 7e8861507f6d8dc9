// TorchCheckpointReader: reads a PyTorch zip-format checkpoint (torch >= 1.6) into an
// ordered state_dict of StoredArrays without Python.
//
// Layout (pytorch caffe2/serialize/inline_container.cc, torch/serialization.py): a ZIP whose
// entries share one top-level folder <p> (named after the file when written to a path; the
// reader takes it from the first entry): <p>/data.pkl (the pickled object, see
// TorchPickleMachine), <p>/data/<key> (raw little-endian storage bytes, stored uncompressed),
// <p>/byteorder ("little"), <p>/version, and newer <p>/.format_version, <p>/.storage_alignment,
// <p>/.data/serialization_id. Legacy files (raw pickle starting 0x80 0x02, tar, or the
// "PYTORCH1" preview) are refused with a hint to re-save.
import Foundation
import ZIPFoundation

/// A non-tensor value found beside the tensors of a state_dict or checkpoint.
public enum TorchScalar: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case string(String)
    case none
}

/// One named tensor of a state_dict.
public struct TorchNamedTensor: Sendable, Equatable {
    /// The state_dict key, e.g. "encoder.0.weight".
    public var key: String
    public var array: StoredArray

    public init(key: String, array: StoredArray) {
        self.key = key
        self.array = array
    }
}

/// The contents of a state_dict (or of the selected sub-dict of a checkpoint), in file order.
public struct TorchStateDict: Sendable, Equatable {
    /// Tensors in state_dict order, with their stored dtype (float16/bfloat16 widened to float32).
    public var tensors: [TorchNamedTensor]
    /// Plain values at the same level (e.g. `epoch`), in file order.
    public var scalars: [(key: String, value: TorchScalar)]
    /// Keys whose values are neither tensors nor plain values (nested dicts, lists).
    public var otherKeys: [String]
    /// When a sub-dict was selected by key: the plain values beside it at the top level
    /// (e.g. `epoch`, `best_loss` of `{'model': ..., 'epoch': 3}`); empty otherwise.
    public var checkpointScalars: [(key: String, value: TorchScalar)] = []

    /// The tensor stored under `key`, if any.
    public func tensor(_ key: String) -> StoredArray? {
        tensors.first { $0.key == key }?.array
    }

    public static func == (lhs: TorchStateDict, rhs: TorchStateDict) -> Bool {
        lhs.tensors == rhs.tensors && lhs.otherKeys == rhs.otherKeys
            && lhs.scalars.map(\.key) == rhs.scalars.map(\.key) && lhs.scalars.map(\.value) == rhs.scalars.map(\.value)
            && lhs.checkpointScalars.map(\.key) == rhs.checkpointScalars.map(\.key)
            && lhs.checkpointScalars.map(\.value) == rhs.checkpointScalars.map(\.value)
    }
}

/// Reading and writing PyTorch `.pth` state_dicts.
public enum TorchCheckpoint {
    /// Magic bytes of a ZIP local file header.
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// Opcode PROTO, which opens a raw (legacy) pickle.
    static let pickleProtocolOpcode: UInt8 = 0x80
    /// The unsupported pre-release container.
    static let previewMagic = Array("PYTORCH1".utf8)

    /// Reads the state_dict in `url`, or the dict under `key` for checkpoints shaped like
    /// `{'model': state_dict, 'optimizer': ..., 'epoch': n}`.
    ///
    /// Only state_dict contents are accepted, like `torch.load(weights_only=True)`: a pickled
    /// `nn.Module` or any global outside the allowlist is refused. Tensors keep the storage's
    /// dtype (float16/bfloat16 → float32); shared storages, offsets and strided views are
    /// gathered into row-major arrays.
    public static func read(from url: URL, key: String? = nil) throws -> TorchStateDict {
        let path = url.path
        let archive = try openArchive(url)
        let entries = Array(archive)
        guard let first = entries.first else {
            throw TorchCheckpointError(kind: .unsupportedContainer, fileName: path, message: "the zip archive is empty")
        }
        let prefix = first.path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        func entryData(_ name: String) throws -> [UInt8]? {
            guard let entry = archive[prefix + "/" + name] else { return nil }
            var data = Data()
            data.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            } catch {
                throw TorchCheckpointError(kind: .io, fileName: path, location: name, message: "cannot extract: \(error)")
            }
            return [UInt8](data)
        }
        if let order = try entryData("byteorder"), String(decoding: order, as: UTF8.self) != "little" {
            throw TorchCheckpointError(kind: .badTensor, fileName: path, location: "byteorder",
                                       message: "big-endian checkpoints are not supported")
        }
        guard let program = try entryData("data.pkl") else {
            throw TorchCheckpointError(kind: .missingEntry, fileName: path,
                                       message: "no '\(prefix)/data.pkl' entry; this zip is not a PyTorch checkpoint")
        }
        var machine = TorchPickleMachine(bytes: program, fileName: path, entryName: "data.pkl")
        var object = try machine.run()

        var parent: TorchPickleDict?
        if let key {
            guard case .dict(let top) = object else {
                throw TorchCheckpointError(kind: .notStateDict, fileName: path,
                                           message: "key '\(key)' given, but the checkpoint holds a \(object.kindName), not a dict")
            }
            guard let selected = top.entries.first(where: { $0.key == .string(key) })?.value else {
                throw TorchCheckpointError(kind: .notStateDict, fileName: path,
                                           message: "no key '\(key)'; the checkpoint has keys \(Self.keyList(top))")
            }
            object = selected
            parent = top
        }
        guard case .dict(let dict) = object else {
            throw TorchCheckpointError(kind: .notStateDict, fileName: path,
                                       message: "the checkpoint holds a \(object.kindName), not a state_dict")
        }

        var storages: [String: [UInt8]] = [:]
        var result = TorchStateDict(tensors: [], scalars: [], otherKeys: [])
        for (entryKey, value) in dict.entries {
            let name: String
            switch entryKey {
            case .string(let text): name = text
            case .integer(let number): name = String(number)
            default: name = entryKey.kindName
            }
            switch value {
            case .tensor(let tensor):
                let bytes: [UInt8]
                if let cached = storages[tensor.storage.key] {
                    bytes = cached
                } else {
                    guard let loaded = try entryData("data/" + tensor.storage.key) else {
                        throw TorchCheckpointError(kind: .missingEntry, fileName: path,
                                                   message: "tensor '\(name)' needs missing entry '\(prefix)/data/\(tensor.storage.key)'")
                    }
                    storages[tensor.storage.key] = loaded
                    bytes = loaded
                }
                result.tensors.append(TorchNamedTensor(key: name, array: try array(tensor, bytes, name: name, path: path)))
            default:
                if let scalar = Self.scalar(value) {
                    result.scalars.append((name, scalar))
                } else {
                    result.otherKeys.append(name)
                }
            }
        }
        for (entryKey, value) in parent?.entries ?? [] {
            guard case .string(let name) = entryKey, let scalar = Self.scalar(value) else { continue }
            result.checkpointScalars.append((name, scalar))
        }
        if key == nil, result.tensors.isEmpty, !result.otherKeys.isEmpty {
            throw TorchCheckpointError(kind: .notStateDict, fileName: path,
                                       message: "no tensors at the top level; this looks like a checkpoint with keys "
                                           + "\(Self.keyList(dict)): choose the state_dict with a key (e.g. key: \"model\")")
        }
        return result
    }

    private static func scalar(_ value: TorchPickleValue) -> TorchScalar? {
        switch value {
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .none: TorchScalar.none
        default: nil
        }
    }

    private static func keyList(_ dict: TorchPickleDict) -> String {
        dict.entries.map { entry in
            if case .string(let text) = entry.key { return "'\(text)'" }
            return entry.key.kindName
        }.joined(separator: ", ")
    }

    /// Checks the tensor's extent against its storage and gathers it.
    private static func array(_ tensor: TorchTensorReference, _ bytes: [UInt8], name: String, path: String) throws -> StoredArray {
        let type = tensor.storage.type
        let available = bytes.count / type.elementSize
        func refuse(_ message: String) -> TorchCheckpointError {
            TorchCheckpointError(kind: .badTensor, fileName: path, location: "data/\(tensor.storage.key)",
                                 message: "tensor '\(name)': \(message)")
        }
        guard tensor.size.allSatisfy({ $0 >= 0 }), tensor.offset >= 0 else {
            throw refuse("negative size or offset (size \(tensor.size), offset \(tensor.offset))")
        }
        if tensor.size.reduce(1, *) > 0 {
            var lowest = tensor.offset
            var highest = tensor.offset
            for (extent, step) in zip(tensor.size, tensor.stride) {
                let reach = (extent - 1) * step
                if reach < 0 { lowest += reach } else { highest += reach }
            }
            guard lowest >= 0, highest < available else {
                throw refuse("size \(tensor.size), stride \(tensor.stride) and offset \(tensor.offset) reach element "
                             + "\(highest), but the storage holds \(available) \(type.rawValue) elements")
            }
        }
        let elements = type.gather(bytes, offset: tensor.offset, size: tensor.size, stride: tensor.stride)
        return StoredArray(shape: tensor.size, elements: elements)
    }

    /// Opens the zip, turning legacy and foreign files into clear errors.
    private static func openArchive(_ url: URL) throws -> Archive {
        let path = url.path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TorchCheckpointError(kind: .io, fileName: path, message: "no readable file at this path")
        }
        let head = [UInt8]((try? handle.read(upToCount: 512)) ?? Data())
        try? handle.close()
        let resave = "re-save it with torch.save(model.state_dict(), path) in PyTorch 1.6 or later"
        if head.starts(with: previewMagic) {
            throw TorchCheckpointError(kind: .unsupportedContainer, fileName: path,
                                       message: "the 'PYTORCH1' preview format is not supported; \(resave)")
        }
        if head.first == pickleProtocolOpcode || (head.count > 262 && Array(head[257..<262]) == Array("ustar".utf8)) {
            throw TorchCheckpointError(kind: .unsupportedContainer, fileName: path,
                                       message: "legacy (pre-1.6, non-zip) PyTorch serialization is not supported; \(resave)")
        }
        guard head.starts(with: zipMagic) else {
            throw TorchCheckpointError(kind: .unsupportedContainer, fileName: path,
                                       message: head.isEmpty ? "the file is empty" : "not a PyTorch checkpoint (no zip signature)")
        }
        do {
            return try Archive(url: url, accessMode: .read)
        } catch {
            throw TorchCheckpointError(kind: .unsupportedContainer, fileName: path,
                                       message: "damaged zip archive (\(error)); the file may be truncated")
        }
    }
}
