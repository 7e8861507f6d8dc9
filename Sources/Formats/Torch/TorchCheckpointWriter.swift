// TorchCheckpointWriter: writes an ordered state_dict as a .pth that torch.load(weights_only=True)
// and load_state_dict(strict=True) accept: a protocol-2 pickle of
// OrderedDict{key: _rebuild_tensor_v2(persistent storage, 0, size, stride, False, OrderedDict())}
// in a stored (uncompressed) ZIP laid out as torch writes it (TorchZipWriter).
import Foundation

extension TorchCheckpoint {
    /// Writes `tensors` (in order) as a PyTorch state_dict file at `url`.
    ///
    /// Each tensor gets its own contiguous storage `data/<index>` of the matching
    /// `torch.<Type>Storage`; entries are stored uncompressed with data 64-byte aligned,
    /// inside a folder named after the file's basename, like `torch.save(sd, path)`.
    /// The file is written to a temporary name and renamed into place.
    /// Not written: ZIP64 (archives over 4 GiB are refused), the `_metadata` attribute.
    public static func write(_ tensors: [TorchNamedTensor], to url: URL) throws {
        let path = url.path
        var seen = Set<String>()
        for tensor in tensors {
            guard seen.insert(tensor.key).inserted else {
                throw TorchCheckpointError(kind: .unwritable, fileName: path, message: "duplicate key '\(tensor.key)'")
            }
            guard tensor.array.count == tensor.array.elements.elementCount else {
                throw TorchCheckpointError(kind: .unwritable, fileName: path,
                                           message: "tensor '\(tensor.key)': shape \(tensor.array.shape) needs "
                                               + "\(tensor.array.count) elements, got \(tensor.array.elements.elementCount)")
            }
        }
        let folder = url.deletingPathExtension().lastPathComponent
        var zip = TorchZipWriter()
        try zip.add("\(folder)/data.pkl", statePickle(tensors), fileName: path)
        try zip.add("\(folder)/.format_version", Array("1".utf8), fileName: path)
        try zip.add("\(folder)/.storage_alignment", Array("64".utf8), fileName: path)
        try zip.add("\(folder)/byteorder", Array("little".utf8), fileName: path)
        for (index, tensor) in tensors.enumerated() {
            try zip.add("\(folder)/data/\(index)", tensor.array.elements.littleEndianBytes, fileName: path)
        }
        try zip.add("\(folder)/version", Array("3\n".utf8), fileName: path)
        do {
            try Data(try zip.finish(fileName: path)).write(to: url, options: .atomic)
        } catch let error as TorchCheckpointError {
            throw error
        } catch {
            throw TorchCheckpointError(kind: .io, fileName: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The protocol-2 pickle program of the state_dict.
    static func statePickle(_ tensors: [TorchNamedTensor]) -> [UInt8] {
        var pickle = TorchPickleEncoder()
        pickle.proto()
        pickle.global("collections", "OrderedDict")
        pickle.emptyTuple()
        pickle.reduce()
        if !tensors.isEmpty {
            pickle.mark()
            for (index, tensor) in tensors.enumerated() {
                let shape = tensor.array.shape
                var strides = [Int](repeating: 1, count: shape.count)
                for axis in shape.indices.dropLast().reversed() {
                    strides[axis] = strides[axis + 1] * shape[axis + 1]
                }
                pickle.string(tensor.key)
                pickle.global("torch._utils", "_rebuild_tensor_v2")
                pickle.mark()
                pickle.mark()
                pickle.string("storage")
                pickle.global("torch", TorchStorageType.of(tensor.array.elements).rawValue)
                pickle.string(String(index))
                pickle.string("cpu")
                pickle.integer(tensor.array.count)
                pickle.tuple()
                pickle.persistentID()
                pickle.integer(0)
                pickle.integerTuple(shape)
                pickle.integerTuple(strides)
                pickle.bool(false)
                pickle.global("collections", "OrderedDict")
                pickle.emptyTuple()
                pickle.reduce()
                pickle.tuple()
                pickle.reduce()
            }
            pickle.setItems()
        }
        pickle.stop()
        return pickle.bytes
    }
}

/// Emits the few pickle opcodes the writer needs (protocol 2).
struct TorchPickleEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func proto() { bytes += [0x80, 2] }
    mutating func stop() { bytes.append(UInt8(ascii: ".")) }
    mutating func mark() { bytes.append(UInt8(ascii: "(")) }
    mutating func tuple() { bytes.append(UInt8(ascii: "t")) }
    mutating func emptyTuple() { bytes.append(UInt8(ascii: ")")) }
    mutating func reduce() { bytes.append(UInt8(ascii: "R")) }
    mutating func setItems() { bytes.append(UInt8(ascii: "u")) }
    mutating func persistentID() { bytes.append(UInt8(ascii: "Q")) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 0x88 : 0x89) }

    mutating func global(_ module: String, _ name: String) {
        bytes.append(UInt8(ascii: "c"))
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    /// BINUNICODE: 4-byte little-endian length, UTF-8 bytes.
    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        bytes.append(UInt8(ascii: "X"))
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
        bytes += utf8
    }

    /// BININT1 / BININT2 / BININT / LONG1, the shortest that holds `value`.
    mutating func integer(_ value: Int) {
        switch value {
        case 0..<0x100:
            bytes += [UInt8(ascii: "K"), UInt8(value)]
        case 0x100..<0x10000:
            bytes += [UInt8(ascii: "M"), UInt8(value & 0xFF), UInt8(value >> 8)]
        case Int(Int32.min)...Int(Int32.max):
            bytes.append(UInt8(ascii: "J"))
            withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 }
        default:
            bytes += [0x8A, 8]
            withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 }
        }
    }

    /// A tuple of integers with the short tuple opcodes for up to three items.
    mutating func integerTuple(_ values: [Int]) {
        switch values.count {
        case 0: emptyTuple()
        case 1...3:
            values.forEach { integer($0) }
            bytes.append([0x85, 0x86, 0x87][values.count - 1])
        default:
            mark()
            values.forEach { integer($0) }
            tuple()
        }
    }
}
